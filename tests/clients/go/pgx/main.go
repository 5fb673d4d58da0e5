// pgx v4 (Debian golang-github-jackc-pgx-v4-dev, built offline with GO111MODULE=off from /usr/share/gocode): connect,
// the prepared statement's parameter and column types, every common type in pgx's binary encodings, 100,000 rows,
// and an error that comes back. Prints one JSON object of facts for Clients/GoClientTests.
package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgconn"
	"github.com/jackc/pgtype"
	"github.com/jackc/pgx/v4"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	url := fmt.Sprintf("postgres://%s:%s@%s:%s/%s?sslmode=disable", env("DM_USER", "bob"), env("DM_PASSWORD", "bob"),
		env("DM_HOST", "127.0.0.1"), os.Getenv("DM_PORT"), env("DM_DATABASE", "ml_research"))
	conn, err := pgx.Connect(ctx, url)
	check(err)
	defer conn.Close(ctx)
	facts := map[string]any{"server_version": conn.PgConn().ParameterStatus("server_version")}

	sd, err := conn.Prepare(ctx, "meta", "SELECT item_id, region, sale_date, amount FROM mkt_sls_table WHERE item_id <= $1 AND region = $2")
	check(err)
	var columns [][]any
	for _, f := range sd.Fields {
		columns = append(columns, []any{string(f.Name), f.DataTypeOID})
	}
	facts["parameters"], facts["columns"] = sd.ParamOIDs, columns

	var (
		i         int32
		b         int64
		n         pgtype.Numeric
		f         float64
		t         string
		o         bool
		d, ts, tz time.Time
		by        []byte
		u         [16]byte
		j         map[string]any
		ai        []int32
		at        []string
	)
	err = conn.QueryRow(ctx, "SELECT $1::int4, $2::int8, $3::numeric, $4::float8, $5::text, $6::bool, $7::date, $8::timestamp, "+
		"$9::timestamptz, $10::bytea, $11::uuid, $12::json, $13::int4[], $14::text[]",
		42, int64(9007199254740993), "1234567.125", 1.5, "héllo wörld", true, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 13, 45, 10, 123456000, time.UTC), time.Date(2024, 2, 29, 13, 45, 10, 123000000, time.UTC),
		[]byte{0, 1, 255}, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", map[string]any{"a": []any{1, "x"}}, []int32{1, 2, 3},
		[]string{"a", "b c"}).Scan(&i, &b, &n, &f, &t, &o, &d, &ts, &tz, &by, &u, &j, &ai, &at)
	check(err)
	numeric, err := n.Value() // pgtype writes a numeric's text form
	check(err)
	facts["params"] = map[string]any{"i": i, "b": fmt.Sprint(b), "n": numeric, "f": f, "t": t, "o": o, "d": d.Format("2006-01-02"),
		"ts": ts.Format("2006-01-02 15:04:05.000000"), "tz": tz.UTC().Format(time.RFC3339Nano), "by": hex.EncodeToString(by),
		"u": hex.EncodeToString(u[:]), "j": j, "ai": ai, "at": at}

	rows, err := conn.Query(ctx, "SELECT item_id FROM mkt_sls_table ORDER BY item_id LIMIT 100000")
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
	if err := conn.QueryRow(ctx, "SELECT customer_email FROM mkt_sls_table").Scan(&email); err != nil {
		if pgErr, ok := err.(*pgconn.PgError); ok {
			facts["error"] = pgErr.Code
		} else {
			facts["error"] = err.Error()
		}
	} else {
		facts["error"] = "none"
	}
	var one int
	check(conn.QueryRow(ctx, "SELECT 1").Scan(&one))
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
