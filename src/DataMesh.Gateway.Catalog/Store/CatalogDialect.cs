using System.Collections.Concurrent;
using System.Text;

namespace DataMesh.Gateway.Catalog.Store;

/// <summary>
/// Everything that differs between the SQL SQLite and PostgreSQL take, in one place (docs/ARCHITECTURE.md, "The catalog
/// store"): the catalog's statements are written once, in the subset both run, with <c>$name</c> parameters; a dialect
/// turns that text into its driver's (PostgreSQL's driver takes <c>@name</c>) and names the few statements that have no
/// common form. Functions SQLite has and PostgreSQL lacks (<c>json_each</c>, <c>json_extract</c>,
/// <c>json_group_array</c>) and the case-insensitive <c>NOCASE</c> collation are created by the PostgreSQL migrations
/// under the same names, so the statements that use them stay one text.
/// </summary>
internal abstract partial class CatalogDialect
{
    public static readonly CatalogDialect Sqlite = new SqliteDialect();
    public static readonly CatalogDialect Postgres = new PostgresDialect();

    /// <summary>The statement as this store's driver takes it.</summary>
    public abstract string Sql(string portable);

    /// <summary>A parameter's name as the driver takes it (the statements name them <c>$name</c>).</summary>
    public abstract string ParameterName(string portable);

    /// <summary>Foreign keys are checked at commit from here on, for the rest of the transaction.</summary>
    public abstract string DeferForeignKeys { get; }

    /// <summary>This store's text of a migration.</summary>
    public abstract string Migration(Migration migration);

    private sealed class SqliteDialect : CatalogDialect
    {
        public override string Sql(string portable) => portable;

        public override string ParameterName(string portable) => portable;

        public override string DeferForeignKeys => "PRAGMA defer_foreign_keys = ON";

        public override string Migration(Migration migration) => migration.Sqlite;
    }

    private sealed partial class PostgresDialect : CatalogDialect
    {
        [System.Text.RegularExpressions.GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*) IS NULL")]
        private static partial System.Text.RegularExpressions.Regex OptionalFilterRegex();

        private static readonly System.Text.RegularExpressions.Regex OptionalFilter = OptionalFilterRegex();

        // The catalog's statements are a fixed set (a few hundred texts): each is rewritten once.
        private readonly ConcurrentDictionary<string, string> _rewritten = new(StringComparer.Ordinal);

        public override string Sql(string portable) => _rewritten.GetOrAdd(portable, Rewrite);

        public override string ParameterName(string portable) => portable.StartsWith('$') ? portable[1..] : portable;

        // The PostgreSQL migrations declare every foreign key DEFERRABLE (INITIALLY IMMEDIATE, as SQLite checks them).
        public override string DeferForeignKeys => "SET CONSTRAINTS ALL DEFERRED";

        public override string Migration(Migration migration) => migration.Postgres;

        /// <summary>
        /// <c>$name</c> becomes <c>@name</c> outside quoted literals and identifiers (<c>'$.name'</c> is a JSON path). An
        /// optional filter's <c>$name IS NULL</c> gets a type: the driver sends a null without one, and PostgreSQL cannot
        /// infer one from IS NULL (42P08). Such filters are text; a nullable number is compared through coalesce instead.
        /// </summary>
        internal static string Rewrite(string sql)
        {
            sql = OptionalFilter.Replace(sql, "CAST($$$1 AS text) IS NULL");
            var result = new StringBuilder(sql.Length);
            var quote = '\0';
            for (var i = 0; i < sql.Length; i++)
            {
                var c = sql[i];
                if (quote != '\0')
                {
                    if (c == quote) quote = '\0';
                }
                else if (c is '\'' or '"') quote = c;
                else if (c == '$' && i + 1 < sql.Length && (char.IsAsciiLetter(sql[i + 1]) || sql[i + 1] == '_'))
                {
                    result.Append('@');
                    continue;
                }
                result.Append(c);
            }
            return result.ToString();
        }
    }
}
