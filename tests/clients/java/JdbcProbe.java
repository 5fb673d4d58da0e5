import java.sql.*;
import java.util.*;

/**
 * Drives pgjdbc (Debian libpostgresql-jdbc-java) against the gateway and prints one "key=value" fact per line;
 * the xunit test (Clients/JdbcTests) asserts on them. Usage: JdbcProbe URL USER PASSWORD SECTION
 * where SECTION is one of: connect, prepared, fetch, metadata, errors.
 */
public final class JdbcProbe {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", args[1]);
        props.setProperty("password", args[2]);
        props.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection(args[0], props)) {
            switch (args[3]) {
                case "connect" -> connect(c);
                case "prepared" -> prepared(c);
                case "fetch" -> fetch(c);
                case "metadata" -> metadata(c);
                case "errors" -> errors(c);
                default -> throw new IllegalArgumentException(args[3]);
            }
        }
    }

    static void out(String key, Object value) { System.out.println(key + "=" + value); }

    /** The wire format of each result column (0 text, 1 binary), read from the driver's field descriptions. */
    static String formats(ResultSet r) throws SQLException {
        try {
            ResultSetMetaData m = r.getMetaData();
            java.lang.reflect.Method field = m.getClass().getDeclaredMethod("getField", int.class);
            field.setAccessible(true);
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= m.getColumnCount(); i++) b.append(((org.postgresql.core.Field) field.invoke(m, i)).getFormat());
            return b.toString();
        } catch (ReflectiveOperationException e) {
            throw new SQLException(e);
        }
    }

    static void connect(Connection c) throws SQLException {
        out("valid", c.isValid(5));
        out("driver", c.getMetaData().getDriverVersion());
        out("server", c.getMetaData().getDatabaseProductVersion());
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) AS n, max(region) AS r FROM mkt_sls_table")) {
            r.next();
            out("count", r.getLong("n"));
            out("max_region", r.getString("r"));
            ResultSetMetaData m = r.getMetaData();
            out("rsmd.count", m.getColumnCount());
            out("rsmd.1", m.getColumnLabel(1) + ":" + m.getColumnType(1) + ":" + m.getColumnTypeName(1));
            out("rsmd.2", m.getColumnLabel(2) + ":" + m.getColumnType(2) + ":" + m.getColumnTypeName(2));
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT item_id, sales_qty_sld, region, sale_date, amount FROM mkt_sls_table LIMIT 1")) {
            ResultSetMetaData m = r.getMetaData();
            for (int i = 1; i <= m.getColumnCount(); i++)
                out("rsmd.col." + i, m.getColumnName(i) + ":" + m.getColumnType(i) + ":" + m.getColumnTypeName(i) + ":"
                    + m.getPrecision(i) + ":" + m.getScale(i) + ":" + m.getColumnClassName(i));
        }
    }

    /** The same parameterised query run 10 times (past prepareThreshold=5: server-prepared, binary results). */
    static void prepared(Connection c) throws SQLException {
        String sql = "SELECT ?::integer AS i, ?::numeric(12,2) AS n, ?::date AS d, ?::timestamptz AS ts, ?::boolean AS b, ?::text AS t, ?::uuid AS u,"
            + " (SELECT count(*) FROM mkt_sls_table WHERE item_id <= ?) AS c";
        UUID uuid = UUID.fromString("6f1c1a9e-3c5b-4d0e-9a7f-2b8e4c6d1f20");
        List<String> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            org.postgresql.PGStatement pg = p.unwrap(org.postgresql.PGStatement.class);
            out("threshold", pg.getPrepareThreshold());
            for (int k = 0; k < 10; k++) {
                p.setInt(1, 42 + k);
                p.setBigDecimal(2, new java.math.BigDecimal("12345.67"));
                p.setDate(3, java.sql.Date.valueOf("2024-02-29"));
                p.setTimestamp(4, java.sql.Timestamp.from(java.time.Instant.parse("2024-03-01T12:34:56.789Z")));
                p.setBoolean(5, k % 2 == 0);
                p.setString(6, "héllo ✓ " + k);
                p.setObject(7, uuid);
                p.setLong(8, 1000);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    out("formats." + k, formats(r));
                    rows.add(r.getInt(1) + "|" + r.getBigDecimal(2) + "|" + r.getDate(3) + "|" + r.getTimestamp(4).toInstant() + "|"
                        + r.getBoolean(5) + "|" + r.getString(6) + "|" + r.getObject(7) + "|" + r.getLong(8));
                }
                out("server_prepared." + k, pg.isUseServerPrepare());
            }
        }
        for (int k = 0; k < rows.size(); k++) out("row." + k, rows.get(k));
        // The same query in text mode (plain Statement, simple protocol) as the reference.
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT 51::integer, 12345.67::numeric(12,2), '2024-02-29'::date, '2024-03-01T12:34:56.789Z'::timestamptz, false, 'héllo ✓ 9'::text,"
                + " '6f1c1a9e-3c5b-4d0e-9a7f-2b8e4c6d1f20'::uuid, (SELECT count(*) FROM mkt_sls_table WHERE item_id <= 1000)")) {
            r.next();
            out("text.9", r.getInt(1) + "|" + r.getBigDecimal(2) + "|" + r.getDate(3) + "|" + r.getTimestamp(4).toInstant() + "|"
                + r.getBoolean(5) + "|" + r.getString(6) + "|" + r.getObject(7) + "|" + r.getLong(8));
        }
        // Table columns through the binary path, against the same rows read as text.
        String q = "SELECT item_id, sales_qty_sld, region, sale_date, amount FROM mkt_sls_table WHERE item_id < ? ORDER BY item_id";
        StringBuilder binary = new StringBuilder();
        try (PreparedStatement p = c.prepareStatement(q)) {
            for (int k = 0; k < 6; k++) {
                p.setLong(1, 60);
                binary.setLength(0);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) binary.append(r.getLong(1)).append(',').append(r.getInt(2)).append(',').append(r.getString(3)).append(',')
                        .append(r.getDate(4)).append(',').append(r.getBigDecimal(5)).append(';');
                }
            }
        }
        StringBuilder text = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(q.replace("?", "60"))) {
            while (r.next()) text.append(r.getLong(1)).append(',').append(r.getInt(2)).append(',').append(r.getString(3)).append(',')
                .append(r.getDate(4)).append(',').append(r.getBigDecimal(5)).append(';');
        }
        out("table.binary", binary);
        out("table.text", text);
    }

    /** setFetchSize(100) with autocommit off: the driver reads the portal 100 rows at a time (PortalSuspended). */
    static void fetch(Connection c) throws SQLException {
        // The driver's protocol trace (java.util.logging, FINEST) shows each Execute's row limit and each
        // PortalSuspended the server answers with: counted here as proof that the rows really streamed in pages.
        java.util.logging.Logger trace = java.util.logging.Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
        int[] suspended = {0};
        Set<String> limits = new TreeSet<>();
        java.util.logging.Handler counter = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) {
                String m = r.getMessage();
                if (m == null) return;
                if (m.contains("PortalSuspended")) suspended[0]++;
                if (m.contains("FE=> Execute") && r.getParameters() != null && r.getParameters().length > 1) limits.add(String.valueOf(r.getParameters()[1]));
            }
            @Override public void flush() { }
            @Override public void close() { }
        };
        counter.setLevel(java.util.logging.Level.FINEST);
        trace.setLevel(java.util.logging.Level.FINEST);
        trace.addHandler(counter);
        c.setAutoCommit(false);
        long rows = 0, sum = 0, last = -1;
        boolean ordered = true;
        try (PreparedStatement p = c.prepareStatement("SELECT item_id FROM mkt_sls_table WHERE item_id <= ? ORDER BY item_id")) {
            p.setFetchSize(100);
            p.setLong(1, 48_000);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long v = r.getLong(1);
                    if (v <= last) ordered = false;
                    last = v;
                    rows++;
                    sum += v;
                }
            }
        }
        c.commit();
        trace.removeHandler(counter);
        out("suspended", suspended[0]);
        out("limits", limits);
        out("rows", rows);
        out("sum", sum);
        out("ordered", ordered);
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 7")) {
            r.next();
            out("after", r.getInt(1));
        }
        c.commit();
    }

    static void metadata(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet r = md.getCatalogs()) { while (r.next()) out("catalog", r.getString("TABLE_CAT")); }
        try (ResultSet r = md.getSchemas()) { while (r.next()) out("schema", r.getString("TABLE_SCHEM")); }
        try (ResultSet r = md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"})) {
            while (r.next()) out("table", r.getString("TABLE_SCHEM") + "." + r.getString("TABLE_NAME") + ":" + r.getString("TABLE_TYPE") + ":" + r.getString("REMARKS"));
        }
        try (ResultSet r = md.getColumns(null, "marketing", "mkt_sls_table", "%")) {
            while (r.next()) out("column", r.getString("COLUMN_NAME") + ":" + r.getInt("DATA_TYPE") + ":" + r.getString("TYPE_NAME") + ":"
                + r.getInt("COLUMN_SIZE") + ":" + r.getInt("DECIMAL_DIGITS") + ":" + r.getString("REMARKS"));
        }
        try (ResultSet r = md.getPrimaryKeys(null, "marketing", "mkt_sls_table")) {
            int n = 0;
            while (r.next()) n++;
            out("primary_keys", n);
        }
        try (ResultSet r = md.getTypeInfo()) {
            int n = 0;
            Set<String> names = new TreeSet<>();
            while (r.next()) { n++; names.add(r.getString("TYPE_NAME")); }
            out("type_info.count", n);
            out("type_info.has_int8", names.contains("int8"));
            out("type_info.has_numeric", names.contains("numeric"));
        }
    }

    /** An error inside a transaction, ROLLBACK, and the connection is used again. */
    static void errors(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
            try {
                s.executeQuery("SELECT no_such_column FROM mkt_sls_table").close();
                out("first_error", "none");
            } catch (SQLException e) {
                out("first_error", e.getSQLState());
            }
            try {
                s.executeQuery("SELECT 2").close();
                out("in_failed", "none");
            } catch (SQLException e) {
                out("in_failed", e.getSQLState());
            }
        }
        c.rollback();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM mkt_sls_table WHERE item_id <= 100")) {
            r.next();
            out("after_rollback", r.getLong(1));
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT customer_email FROM mkt_sls_table").close();
            out("hidden", "none");
        } catch (SQLException e) {
            out("hidden", e.getSQLState());
        }
        out("valid_after", c.isValid(5));
    }
}
