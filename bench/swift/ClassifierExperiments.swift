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
  case "wc": options.clusters.mode = Int(number)
  case "wck": options.clusters.clusters = Int(number)
  case "wcb": options.clusters.buckets = Int(number)
  case "wcmin": options.clusters.minimumCount = Int(number)
  case "wca": options.clusters.alpha = number
  case "wcshare": options.clusters.minimumShare = number
  case "wcbi": options.clusters.bigrams = number != 0
  case "wcloo": options.clusters.leaveOneOut = number != 0
  case "wcw": options.clusters.weight = number
  case "ens": options.partner = number != 0 ? PartnerOptions() : nil
  case "enss": options.partner?.share = Double(number)
  case "ensmin": options.partner?.features.minCharGram = Int(number)
  case "ensmax": options.partner?.features.maxCharGram = Int(number)
  case "enscross": options.partner?.features.crossWordChars = number != 0
  case "enspre": options.partner?.features.prefixLength = Int(number)
  case "ensbi": options.partner?.features.wordBigrams = number != 0
  case "enswin": options.partner?.features.pairWindow = Int(number)
  case "ensword": options.partner?.wordWeight = number
  case "enschar": options.partner?.charWeight = number
  case "prefix": options.features.prefixLength = Int(number)
  case "cross": options.features.crossWordChars = number != 0
  case "cw": options.confusedNegatives = Int(number)
  case "cwf": options.confusedFactor = number
  case "cwmin": options.confusedMinimum = Int(number)
  case "pspec": options.pairSpecialists = Int(number)
  case "pspecd": options.pairMargin = Double(number)
  case "enswc": options.partner?.clusters.mode = Int(number)
  case "enswcw": options.partner?.clusters.weight = number
  case "enscost": options.partner?.cost = number
  case "enspw": options.partner?.pairWeight = number
  case "enstypo": options.partner?.typoCopies = Int(number)
  default: print("unknown option \(parts[0])")
  }
}
