using BenchmarkDotNet.Running;
using DataMesh.Gateway.Benchmarks.Stream;

// `stream [options]` runs the end-to-end harness; `governed [options]` the governed-query harness; `objectstore [options]` local disk vs a local S3 server; anything else goes to BenchmarkDotNet (e.g. `--filter '*'`).
if (args.Length > 0 && args[0] == "stream") return await StreamHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "governed") return await DataMesh.Gateway.Benchmarks.Governed.GovernedHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "serving") return await DataMesh.Gateway.Benchmarks.Serving.ServingHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "compare") return await DataMesh.Gateway.Benchmarks.Compare.CompareHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "serve") return await GatewayProcess.ServeAsync(args[1..]);
if (args.Length > 0 && args[0] == "objectstore") return await DataMesh.Gateway.Benchmarks.ObjectStore.ObjectStoreHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "seed-catalog") return DataMesh.Gateway.Benchmarks.Scale.CatalogSeeder.Run(args[1..]);
if (args.Length > 0 && args[0] == "search-profile") return await DataMesh.Gateway.Benchmarks.Scale.SearchProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "session-profile") return DataMesh.Gateway.Benchmarks.Scale.SessionProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "catalog-stores") return await DataMesh.Gateway.Benchmarks.Fleet.CatalogStoresHarness.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "fleet-propagation") return DataMesh.Gateway.Benchmarks.Coherence.PropagationHarness.Run(args[1..]);
if (args.Length > 0 && args[0] == "catalog-scale") return DataMesh.Gateway.Benchmarks.Scale.ScaleHarness.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
