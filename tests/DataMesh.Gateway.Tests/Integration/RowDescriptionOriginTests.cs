using DataMesh.Gateway.Tests.Infrastructure;
using Npgsql;

namespace DataMesh.Gateway.Tests.Integration;

/// <summary>
/// RowDescription carries, for a column read straight from an asset, the asset's table OID and the column's attribute
/// number, as PostgreSQL does for a table column: the shadow catalog's numbers, which pg_class and pg_attribute answer,
/// so Npgsql's column schema (and pgjdbc's ResultSetMetaData) can name the base table and column. Computed columns,
/// and anything read through a subquery, carry zeros, as in PostgreSQL.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RowDescriptionOriginTests(GatewayFixture gateway)
{
    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(gateway.ConnectionString("bob", database: "ml_research"));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<(uint Oid, Dictionary<string, short> Attributes)> CatalogAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.oid, a.attname, a.attnum FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relname = 'mkt_sls_table'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        uint oid = 0;
        var attributes = new Dictionary<string, short>();
        while (await reader.ReadAsync())
        {
            oid = reader.GetFieldValue<uint>(0);
            attributes[reader.GetString(1)] = reader.GetInt16(2);
        }
        return (oid, attributes);
    }

    [Fact]
    public async Task Base_columns_carry_the_table_oid_and_attribute_number_that_pg_attribute_answers()
    {
        await using var connection = await OpenAsync();
        var (oid, attributes) = await CatalogAsync(connection);
        Assert.True(oid >= 16384, $"shadow table oid {oid}");
        Assert.Equal(5, attributes.Count); // the visible columns: customer_email is not bob's

        await using var command = new NpgsqlCommand(
            "SELECT item_id, amount AS a, 1 AS one, m.region, count(*) OVER () AS n, * FROM mkt_sls_table m LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var schema = (await reader.GetColumnSchemaAsync()).Cast<Npgsql.Schema.NpgsqlDbColumn>().ToList();
        var origins = schema.Select(c => (c.ColumnName, c.TableOID, c.ColumnAttributeNumber)).ToList();
        Assert.Equal(
        [
            ("item_id", oid, attributes["item_id"]), ("a", oid, attributes["amount"]), ("one", 0u, (short?)null),
            ("region", oid, attributes["region"]), ("n", 0u, (short?)null),
            ("item_id", oid, attributes["item_id"]), ("sales_qty_sld", oid, attributes["sales_qty_sld"]), ("region", oid, attributes["region"]),
            ("sale_date", oid, attributes["sale_date"]), ("amount", oid, attributes["amount"]),
        ], origins.Select(o => (o.ColumnName, o.TableOID, o.ColumnAttributeNumber == 0 ? null : o.ColumnAttributeNumber)).ToList());
    }

    [Fact]
    public async Task Npgsql_finds_the_base_table_and_column_in_the_catalog_by_those_numbers()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT amount AS a, 1 AS one FROM mkt_sls_table LIMIT 1", connection);
        // KeyInfo makes Npgsql look the table OID and attribute number up in pg_class, pg_namespace and pg_attribute.
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.KeyInfo);
        var schema = (await reader.GetColumnSchemaAsync()).Cast<Npgsql.Schema.NpgsqlDbColumn>().ToList();
        Assert.Equal(("mkt_sls_table", "marketing", "amount", "a"), (schema[0].BaseTableName, schema[0].BaseSchemaName, schema[0].BaseColumnName, schema[0].ColumnName));
        Assert.Null(schema[1].BaseTableName);
    }

    [Theory]
    [InlineData("SELECT x FROM (SELECT item_id AS x FROM mkt_sls_table) s LIMIT 1")]
    [InlineData("WITH w AS (SELECT item_id FROM mkt_sls_table) SELECT item_id FROM w LIMIT 1")]
    [InlineData("SELECT item_id + 1 AS item_id FROM mkt_sls_table LIMIT 1")]
    [InlineData("SELECT item_id FROM mkt_sls_table UNION ALL SELECT 1 LIMIT 1")]
    public async Task Columns_that_are_not_read_straight_from_a_table_carry_zeros(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var column = Assert.Single((await reader.GetColumnSchemaAsync()).Cast<Npgsql.Schema.NpgsqlDbColumn>());
        Assert.Equal((0u, (short?)0), (column.TableOID, column.ColumnAttributeNumber));
    }
}
