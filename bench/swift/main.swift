// junction-bench: micro-benchmarks of Junction's modules, run in release mode:
//   swift run -c release junction-bench <name> [options]
// Each benchmark lives in its own file and is listed in `benchmarks` below.
import Foundation

let benchmarks: [String: ([String]) throws -> Void] = [
  "digest": digestBench,
  "mime": mimeBench,
  "banking77": classifierBench,
  "normalize": normalizeBench,
  "snapshot": snapshotBench,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let run = benchmarks[name] else {
  print(
    "usage: junction-bench <name> [options]; names: \(benchmarks.keys.sorted().joined(separator: ", "))"
  )
  exit(2)
}
try run(Array(arguments.dropFirst()))
