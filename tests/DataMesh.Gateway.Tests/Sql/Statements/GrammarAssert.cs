using DataMesh.Gateway.Sql.Lexing;
using DataMesh.Gateway.Sql.Statements;

namespace DataMesh.Gateway.Tests.Sql.Statements;

/// <summary>Reads one query string as the server does and returns its statement, or the grammar's refusal.</summary>
internal static class GrammarAssert
{
    /// <summary>The last statement of <paramref name="sql"/> (earlier ones place it in the string, as positions count from its start).</summary>
    public static Statement Parse(string sql) => StatementParser.Parse(StatementSplitter.Split(sql)[^1]);

    public static T Accepted<T>(string sql) where T : Statement => Assert.IsType<T>(Parse(sql));

    /// <summary>
    /// The first refusal among the statements of <paramref name="sql"/> as (SQLSTATE, message, 1-based position),
    /// whether the parser throws it or keeps it for run time.
    /// </summary>
    public static (string SqlState, string Message, int Position) Refusal(string sql)
    {
        foreach (var statement in StatementSplitter.Split(sql))
        {
            try
            {
                if (StatementParser.Parse(statement) is RejectedStatement { Error: var error }) return (error.SqlState, error.Message, error.Position);
            }
            catch (StatementException e)
            {
                return (e.SqlState, e.Message, e.Position);
            }
        }
        throw new Xunit.Sdk.XunitException($"the grammar accepted every statement of {sql}");
    }
}
