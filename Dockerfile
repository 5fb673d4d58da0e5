# Build and run the DataMesh Gateway. The engine (DuckDB) ships as a native library inside the NuGet package.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/DataMesh.Gateway/DataMesh.Gateway.csproj -c Release -o /app --nologo

# The ASP.NET Core runtime: the data portal (--web-listen) runs in the same process.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
# The code_repository blueprint creates each project's Git repository with the git command line.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Data directory (catalog, users, TLS key, demo data) and the read-only producer storage roots.
VOLUME ["/var/lib/datamesh"]
ENV DATAMESH_DATADIR=/var/lib/datamesh \
    DATAMESH_LISTEN=0.0.0.0:5433
EXPOSE 5433 8443
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/datamesh.dll"]
CMD ["serve"]
