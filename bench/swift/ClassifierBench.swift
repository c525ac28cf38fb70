import Foundation
import JunctionRouting

/// `junction-bench banking77 [TRAIN.csv] [--folds N] [--only K] [--seed S] [--out DIR]`: 10-fold
/// cross-validation of the skill classifier on BANKING77's training split (clean and with one
/// typo in every word of four letters or more, held-out fold only), training time on all rows,
/// and time per classification. Prints a table and writes the raw numbers as JSON to DIR.
func classifierBench(_ arguments: [String]) throws {
  var path = "../shared/data/banking77/train.csv"
  var folds = 10
  var only = Int.max
  var seed: UInt64 = 42
  var output = "bench/results"
  var options = ClassifierOptions()
  var index = 0
  while index < arguments.count {
    let argument = arguments[index]
    let value = index + 1 < arguments.count ? arguments[index + 1] : ""
    switch argument {
    case "--folds":
      folds = Int(value) ?? folds
      index += 1
    case "--only":
      only = Int(value) ?? only
      index += 1
    case "--seed":
      seed = UInt64(value) ?? seed
      index += 1
    case "--out":
      output = value
      index += 1
    case "--no-calibration":
      options.calibrationFolds = 0
    case "--set":
      experimentSet(&options, value)
      index += 1
    default: path = argument
    }
    index += 1
  }
  guard let data = FileManager.default.contents(atPath: path) else {
    print("cannot read \(path)")
    exit(1)
  }
  let rows = try LabelledCSV.parse([UInt8](data), labelColumn: "category")
  print("BANKING77: \(rows.count) rows, \(Set(rows.map(\.label)).count) intents, \(folds)-fold CV")

  func seconds(since start: UInt64) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }
  var order = Array(rows.indices)
  var random = SplitMix64(seed: seed)
  order.shuffle(using: &random)
  var clean = 0
  var typo = 0
  var classifications = 0
  var classifySeconds = 0.0
  var foldAccuracies: [Double] = []
  var confusions: [String: Int] = [:]
  for fold in 0..<min(folds, only) {
    let test = order.enumerated().filter { $0.offset % folds == fold }.map { rows[$0.element] }
    let train = order.enumerated().filter { $0.offset % folds != fold }.map { rows[$0.element] }
    let classifier = SkillClassifier(examples: train, options: options)
    var typos = TypoGenerator(seed: seed &+ UInt64(fold))
    var foldCorrect = 0
    for row in test {
      let start = DispatchTime.now().uptimeNanoseconds
      let prediction = classifier.classify(row.text)
      classifySeconds += seconds(since: start)
      classifications += 1
      if prediction.top?.skill == row.label {
        clean += 1
        foldCorrect += 1
      } else if let wrong = prediction.top?.skill {
        confusions["\(row.label) -> \(wrong)", default: 0] += 1
        if ProcessInfo.processInfo.environment["ERRORS"] != nil {
          print("  \(row.label) -> \(wrong): \(row.text)")
        }
      }
      if classifier.classify(typos.misspell(row.text)).top?.skill == row.label { typo += 1 }
    }
    foldAccuracies.append(Double(foldCorrect) / Double(test.count))
    print(String(format: "  fold %2d: %.4f", fold + 1, foldAccuracies.last ?? 0))
  }
  if ProcessInfo.processInfo.environment["CONFUSIONS"] != nil {
    for (pair, count) in confusions.sorted(by: { $0.value > $1.value }).prefix(40) {
      print("  \(count) \(pair)")
    }
  }
  let start = DispatchTime.now().uptimeNanoseconds
  let full = SkillClassifier(examples: rows, options: options)
  let trainSeconds = seconds(since: start)
  let cleanAccuracy = Double(clean) / Double(classifications)
  let typoAccuracy = Double(typo) / Double(classifications)
  let microseconds = classifySeconds / Double(classifications) * 1e6
  print("")
  print("| measure | value | target |")
  print("|---|---|---|")
  print(String(format: "| accuracy, clean (%d-fold CV) | %.4f | ≥ 0.92 |", folds, cleanAccuracy))
  print(
    String(format: "| accuracy, typo in every word of 4+ letters | %.4f | ≥ 0.85 |", typoAccuracy))
  print(String(format: "| training on all %d rows | %.2f s | < 10 s |", rows.count, trainSeconds))
  print(String(format: "| time per classification | %.1f µs | < 100 µs |", microseconds))
  print(String(format: "| calibrated softmax scale | %.2f | |", full.probabilityScale))

  try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
  let stamp = Int(Date().timeIntervalSince1970)
  let file = URL(fileURLWithPath: output).appendingPathComponent("banking77-\(stamp).json")
  let folded = foldAccuracies.map { String(format: "%.4f", $0) }.joined(separator: ", ")
  let json = """
    {"rows": \(rows.count), "folds": \(folds), "seed": \(seed), "accuracy_clean": \(cleanAccuracy), \
    "accuracy_typo": \(typoAccuracy), "fold_accuracy": [\(folded)], \
    "train_seconds_all_rows": \(trainSeconds), "microseconds_per_classification": \(microseconds), \
    "features": \(full.featureCount), "probability_scale": \(full.probabilityScale)}

    """
  try Data(json.utf8).write(to: file)
  print("raw numbers: \(file.path)")
}
