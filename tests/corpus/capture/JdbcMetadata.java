import java.sql.*;

/** The DatabaseMetaData calls tools such as DBeaver and Tableau's JDBC connector make; results are discarded. */
public class JdbcMetadata {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            DatabaseMetaData md = c.getMetaData();
            drain(md.getCatalogs());
            drain(md.getSchemas());
            drain(md.getSchemas(null, "mark%"));
            drain(md.getTableTypes());
            drain(md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}));
            drain(md.getTables(null, "marketing", "mkt%", null));
            drain(md.getColumns(null, "marketing", "mkt_sls_table", "%"));
            drain(md.getColumns(null, null, "%", null));
            drain(md.getPrimaryKeys(null, "marketing", "mkt_sls_table"));
            drain(md.getImportedKeys(null, "marketing", "mkt_sls_table"));
            drain(md.getExportedKeys(null, "marketing", "mkt_sls_table"));
            drain(md.getIndexInfo(null, "marketing", "mkt_sls_table", false, true));
            drain(md.getTypeInfo());
            drain(md.getProcedures(null, "marketing", "%"));
            drain(md.getFunctions(null, "marketing", "%"));
            drain(md.getTablePrivileges(null, "marketing", "mkt_sls_table"));
            drain(md.getColumnPrivileges(null, "marketing", "mkt_sls_table", "%"));
            drain(md.getBestRowIdentifier(null, "marketing", "mkt_sls_table", DatabaseMetaData.bestRowSession, true));
            drain(md.getUDTs(null, "marketing", "%", null));
            md.getDatabaseProductVersion();
            md.getIdentifierQuoteString();
            md.getSQLKeywords();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from marketing.mkt_sls_table")) {
                ResultSetMetaData rm = rs.getMetaData();
                for (int i = 1; i <= rm.getColumnCount(); i++) {
                    rm.getColumnTypeName(i); rm.isNullable(i); rm.isAutoIncrement(i); rm.getTableName(i); rm.getSchemaName(i);
                }
            }
        }
    }

    private static void drain(ResultSet rs) throws SQLException {
        try (rs) { while (rs.next()) { } }
    }
}
