import java.sql.*;

/**
 * Times pgjdbc's DatabaseMetaData.getTables over one connection: args URL USER PASSWORD ITERATIONS.
 * Prints "ROWS n" once, then one "MS x" line per call (the first five are a warm-up and not printed).
 * Compiled and run by the bench's compare harness with Debian's libpostgresql-jdbc-java.
 */
public class JdbcMetadataTiming {
    public static void main(String[] args) throws Exception {
        int iterations = Integer.parseInt(args[3]);
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
            DatabaseMetaData md = c.getMetaData();
            for (int i = 0; i < iterations + 5; i++) {
                long start = System.nanoTime();
                int rows = 0;
                try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
                    while (rs.next()) { rs.getString("TABLE_NAME"); rows++; }
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (i == 0) System.out.println("ROWS " + rows);
                if (i >= 5) System.out.println("MS " + ms);
            }
        }
    }
}
