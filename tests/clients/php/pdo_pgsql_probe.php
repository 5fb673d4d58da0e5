<?php
// PHP PDO_pgsql (Debian php-pgsql): connect, column metadata (getColumnMeta reads pg_type/pg_attribute), every common
// type bound through server-side prepared statements, 100,000 rows, pgsqlCopyToArray (COPY … TO STDIN as PDO writes
// it), and an error raised as a PDOException. Prints one JSON object of facts for Clients/PerlPhpRTests.
$dsn = sprintf('pgsql:host=%s;port=%s;dbname=%s;sslmode=disable', getenv('DM_HOST') ?: '127.0.0.1', getenv('DM_PORT'),
    getenv('DM_DATABASE') ?: 'ml_research');
$user = getenv('DM_USER') ?: 'bob';
$pdo = new PDO($dsn, $user, getenv('DM_PASSWORD') ?: $user, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_EMULATE_PREPARES => false]);
$facts = ['server_version' => $pdo->getAttribute(PDO::ATTR_SERVER_VERSION)];

$meta = $pdo->prepare('SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= ? AND region = ?');
$meta->execute([8, 'Europe']);
$facts['columns'] = [];
for ($i = 0; $i < $meta->columnCount(); $i++) {
    $m = $meta->getColumnMeta($i);
    $facts['columns'][] = [$m['name'], $m['native_type'], $m['table'] ?? null];
}
$facts['first'] = $meta->fetch(PDO::FETCH_NUM);
$meta->closeCursor();

$s = $pdo->prepare('SELECT ?::int4 AS i, ?::int8 AS b, ?::numeric AS n, ?::float8 AS f, ?::text AS t, ?::bool AS o, ?::date AS d, '
    . '?::timestamp AS ts, ?::timestamptz AS tz, ?::bytea AS by, ?::uuid AS u, ?::json AS j, ?::int4[] AS ai, ?::text[] AS at');
$values = [42, '9007199254740993', '1234567.125', 1.5, 'héllo wörld', true, '2024-02-29', '2024-02-29 13:45:10.123456',
    '2024-02-29 13:45:10.123+00', "\x00\x01\xff", 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, "x"]}', '{1,2,NULL}', '{a,"b c"}'];
foreach ($values as $k => $v) {
    $type = is_int($v) ? PDO::PARAM_INT : (is_bool($v) ? PDO::PARAM_BOOL : ($k === 9 ? PDO::PARAM_LOB : PDO::PARAM_STR));
    $s->bindValue($k + 1, $v, $type);
}
$s->execute();
$r = $s->fetch(PDO::FETCH_ASSOC);
$r['by'] = bin2hex(is_resource($r['by']) ? stream_get_contents($r['by']) : $r['by']);
$facts['params'] = $r;

$rows = $pdo->query('SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000');
$count = 0; $sum = 0;
while (($id = $rows->fetchColumn()) !== false) { $count++; $sum += (int)$id; }
$facts['rows'] = ['count' => $count, 'sum' => $sum];
$facts['copy'] = $pdo->pgsqlCopyToArray('(SELECT item_id, region FROM mkt_sls_table ORDER BY item_id LIMIT 3)', ',');

try {
    $pdo->query('SELECT customer_email FROM mkt_sls_table');
    $facts['error'] = 'none';
} catch (PDOException $e) {
    $facts['error'] = $e->getCode();
}
$facts['after'] = $pdo->query('SELECT 1')->fetchColumn();
echo json_encode($facts, JSON_UNESCAPED_UNICODE), "\n";
