#!/usr/bin/perl
# Perl DBI with DBD::Pg (Debian libdbd-pg-perl): connect, column_info and statistics_info (pg_index_column_has_property),
# every common type bound through a prepared statement (pg_type where DBD::Pg needs it), 100,000 rows fetched in
# order, and an error that comes back. Prints one JSON object of facts for Clients/PerlPhpRTests.
use strict;
use warnings;
use utf8;
use DBI;
use DBD::Pg qw(:pg_types);
use JSON::PP;

my $dsn = sprintf('dbi:Pg:dbname=%s;host=%s;port=%s;sslmode=disable', $ENV{DM_DATABASE} // 'ml_research', $ENV{DM_HOST} // '127.0.0.1', $ENV{DM_PORT});
my $dbh = DBI->connect($dsn, $ENV{DM_USER} // 'bob', $ENV{DM_PASSWORD} // 'bob', { RaiseError => 1, PrintError => 0, AutoCommit => 1, pg_enable_utf8 => 1 });
my %facts = (dbd_pg => "$DBD::Pg::VERSION", server_version => $dbh->{pg_server_version});

my $ci = $dbh->column_info(undef, 'marketing', 'mkt_sls_table', undef)->fetchall_arrayref({});
$facts{columns} = [map { [$_->{COLUMN_NAME}, $_->{TYPE_NAME}] } sort { $a->{ORDINAL_POSITION} <=> $b->{ORDINAL_POSITION} } @$ci];
my $si = $dbh->statistics_info(undef, 'marketing', 'mkt_sls_table', 0, 1);
# One row of TYPE 'table' (the table's own statistics; a Parquet asset has no indexes), as PostgreSQL answers it.
$facts{statistics} = $si ? [map { [$_->{TABLE_NAME}, $_->{TYPE}, $_->{INDEX_NAME}] } @{ $si->fetchall_arrayref({}) }] : 'undef';

my $sth = $dbh->prepare('SELECT $1::int4 AS i, $2::int8 AS b, $3::numeric AS n, $4::float8 AS f, $5::text AS t, $6::bool AS o, '
    . '$7::date AS d, $8::timestamp AS ts, $9::timestamptz AS tz, $10::bytea AS by, $11::uuid AS u, $12::json AS j, $13::int4[] AS ai, $14::text[] AS at');
$sth->bind_param(10, "\x00\x01\xff", { pg_type => PG_BYTEA });
$sth->execute(42, '9007199254740993', '1234567.125', 1.5, 'héllo wörld', 1, '2024-02-29', '2024-02-29 13:45:10.123456',
    '2024-02-29 13:45:10.123+00', "\x00\x01\xff", 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, "x"]}', [1, 2, undef], ['a', 'b c']);
my $r = $sth->fetchrow_hashref;
$r->{by} = unpack('H*', $r->{by});
$facts{params} = $r;
$facts{types} = $sth->{pg_type};

my $rows = $dbh->prepare('SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000');
$rows->execute;
my ($count, $sum) = (0, 0);
while (my ($id) = $rows->fetchrow_array) { $count++; $sum += $id; }
$facts{rows} = { count => $count, sum => $sum };

eval { $dbh->selectall_arrayref('SELECT customer_email FROM mkt_sls_table'); $facts{error} = 'none'; 1 } or $facts{error} = $dbh->state;
$facts{after} = $dbh->selectrow_array('SELECT 1');
$sth->finish;
$dbh->disconnect;
print JSON::PP->new->utf8->canonical->encode(\%facts), "\n";
