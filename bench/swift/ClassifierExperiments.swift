import JunctionRouting

/// `--set key=value`: overrides one classifier option for an experiment.
func experimentSet(_ options: inout ClassifierOptions, _ assignment: String) {
  let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
  guard parts.count == 2 else { return }
  let number = Float(parts[1]) ?? 0
  switch parts[0] {
  case "cost": options.trainer.cost = number
  case "word": options.wordWeight = number
  case "char": options.charWeight = number
  case "pair": options.pairWeight = number
  case "correction": options.spellingCorrection = number != 0
  case "window": options.features.pairWindow = Int(number)
  case "minchar": options.features.minCharGram = Int(number)
  case "maxchar": options.features.maxCharGram = Int(number)
  case "calfolds": options.calibrationFolds = Int(number)
  case "stack": options.stacking = number != 0
  case "spen": options.stackPenalty = number
  case "sit": options.stackIterations = Int(number)
  case "srate": options.stackRate = number
  case "warm": options.warmStartFolds = number != 0
  case "tol": options.trainer.tolerance = number
  default: print("unknown option \(parts[0])")
  }
}
