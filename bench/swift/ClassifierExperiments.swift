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
  case "pdecay": options.features.pairDecay = number
  case "ppow": options.features.pairPower = number
  case "clen": options.features.charLengthPower = number
  case "neg": options.features.negationWindow = Int(number)
  case "sbag": options.stackBags = Int(number)
  case "sbagmode": options.stackBagMode = Int(number)
  case "savg": options.stackAverageFrom = Int(number)
  case "cpair": options.features.contentPairWindow = Int(number)
  case "stopshare": options.pairStopShare = number
  case "rarefix": options.rareCommonCount = Int(number)
  case "rarecount": options.rareCount = Int(number)
  case "icf": options.classIdfPower = number
  case "sval": options.stackValidationShare = number
  case "svalscale": options.stackValidationScale = number
  case "anchor": options.features.anchorPairs = number != 0
  default: print("unknown option \(parts[0])")
  }
}
