# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files only, so code edits do not invalidate the package layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/CompromisosApi/CompromisosApi.csproj src/CompromisosApi/
# ReadyToRun: the service and its packages precompiled for linux-x64, so start-up does not wait for the JIT
# (bench/RESULTS.md, start-up).
RUN dotnet restore src/CompromisosApi/CompromisosApi.csproj -r linux-x64 -p:PublishReadyToRun=true

COPY src/ src/
RUN dotnet publish src/CompromisosApi/CompromisosApi.csproj -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true --no-restore -o /app/publish /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The record's dates are Chile's (America/Santiago): the service refuses to start without the zone database.
RUN apt-get update && apt-get install -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
COPY --from=build /app/publish .
USER $APP_UID
ENTRYPOINT ["dotnet", "CompromisosApi.dll"]
