using DataMesh.Gateway.Engine.Types;

namespace DataMesh.Gateway.Engine.Execution;

/// <summary>A column of a prepared statement's result, as clients will see it.</summary>
public sealed class ResultColumn
{
    internal ResultColumn(string name, PgColumnType type)
    {
        Name = name;
        Type = type;
    }

    public string Name { get; }
    public int TypeOid => Type.Oid;
    public short TypeLength => Type.Length;
    public int TypeModifier => Type.TypeModifier;
    internal PgColumnType Type { get; }
}
