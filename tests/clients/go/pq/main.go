// lib/pq (Debian golang-github-lib-pq-dev, built offline with GO111MODULE=off from /usr/share/gocode) through
// database/sql: connect, column types of a result, every common type as lib/pq sends it (text; a time.Time as
// '2024-02-29 13:45:10.123456Z'), 100,000 rows, and an error that comes back. One JSON object for Clients/GoClientTests.
package main

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/lib/pq"
)

func main() {
	dsn := fmt.Sprintf("host=%s port=%s user=%s password=%s dbname=%s sslmode=disable connect_timeout=10", env("DM_HOST", "127.0.0.1"),
		os.Getenv("DM_PORT"), env("DM_USER", "bob"), env("DM_PASSWORD", "bob"), env("DM_DATABASE", "ml_research"))
	db, err := sql.Open("postgres", dsn)
	check(err)
	defer db.Close()
	facts := map[string]any{}

	meta, err := db.Query("SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= $1 AND region = $2", 8, "Europe")
	check(err)
	types, err := meta.ColumnTypes()
	check(err)
	var columns [][]string
	for _, c := range types {
		columns = append(columns, []string{c.Name(), c.DatabaseTypeName()})
	}
	check(meta.Close())
	facts["columns"] = columns
	var since int
	check(db.QueryRow("SELECT count(*) FROM mkt_sls_table WHERE item_id <= 4000 AND sale_date >= $1", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Scan(&since))
	facts["since"] = since

	var (
		i, b      int64
		n, t      string
		f         float64
		o         bool
		d, ts, tz time.Time
		by        []byte
		u, j      string
		ai        pq.Int64Array
		at        pq.StringArray
	)
	err = db.QueryRow("SELECT $1::int4, $2::int8, $3::numeric, $4::float8, $5::text, $6::bool, $7::date, $8::timestamp, "+
		"$9::timestamptz, $10::bytea, $11::uuid, $12::json, $13::int4[], $14::text[]",
		42, int64(9007199254740993), "1234567.125", 1.5, "héllo wörld", true, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 13, 45, 10, 123456000, time.UTC), time.Date(2024, 2, 29, 13, 45, 10, 123000000, time.UTC),
		[]byte{0, 1, 255}, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `{"a": [1, "x"]}`, pq.Array([]int64{1, 2, 3}),
		pq.Array([]string{"a", "b c"})).Scan(&i, &b, &n, &f, &t, &o, &d, &ts, &tz, &by, &u, &j, &ai, &at)
	check(err)
	facts["params"] = map[string]any{"i": i, "b": fmt.Sprint(b), "n": n, "f": f, "t": t, "o": o, "d": d.Format("2006-01-02"),
		"ts": ts.Format("2006-01-02 15:04:05.000000"), "tz": tz.UTC().Format(time.RFC3339Nano), "by": hex.EncodeToString(by),
		"u": u, "j": json.RawMessage(j), "ai": ai, "at": at}

	rows, err := db.Query("SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000")
	check(err)
	var count, sum int64
	for rows.Next() {
		var id int64
		check(rows.Scan(&id))
		count++
		sum += id
	}
	check(rows.Err())
	facts["rows"] = map[string]any{"count": count, "sum": sum}

	var email string
	if err := db.QueryRow("SELECT customer_email FROM mkt_sls_table").Scan(&email); err != nil {
		if pqErr, ok := err.(*pq.Error); ok {
			facts["error"] = string(pqErr.Code)
		} else {
			facts["error"] = err.Error()
		}
	} else {
		facts["error"] = "none"
	}
	var one int
	check(db.QueryRow("SELECT 1").Scan(&one))
	facts["after"] = one
	check(json.NewEncoder(os.Stdout).Encode(facts))
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
