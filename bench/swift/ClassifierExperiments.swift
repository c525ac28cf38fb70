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
  case "lr":
    var trainer = SoftmaxRegressionTrainer()
    if number > 0 { trainer.epochs = Int(number) }
    options.companions.append(.softmax(trainer))
  case "lrrate":
    if case .softmax(var trainer) = options.companions.last {
      trainer.rate = number
      options.companions[options.companions.count - 1] = .softmax(trainer)
    }
  case "lrdecay":
    if case .softmax(var trainer) = options.companions.last {
      trainer.decay = number
      options.companions[options.companions.count - 1] = .softmax(trainer)
    }
  case "lrl2":
    if case .softmax(var trainer) = options.companions.last {
      trainer.l2 = number
      options.companions[options.companions.count - 1] = .softmax(trainer)
    }
  case "mix": options.companionMix = number
  case "foldens": options.foldEnsemble = Int(number)
  case "foldcost": options.foldCostFactor = number
  case "masktop": options.stackMaskTop = Int(number)
  case "maskcount": options.stackMaskCount = Int(number)
  case "smooth": options.stackSmoothing = number
  case "repeats": options.heldOutRepeats = Int(number)
  case "floor": options.stackFloor = number
  case "rawchar": options.rawCharGrams = number != 0
  case "after": options.companionAfterStack = number
  case "svm2": options.companions.append(.svm(LinearSVMTrainer(cost: number)))
  default: print("unknown option \(parts[0])")
  }
}
