import Foundation

/// A skill classifier learned from labelled examples at config load.
///
/// A message is normalised (``TextNormalizer``), words the examples never used are corrected
/// against the examples' vocabulary (``SpellingCorrector``), and the words become word and
/// character n-gram features (``FeatureSpace``). One-vs-rest linear SVMs score every skill
/// (``LinearSVMTrainer``). A second stage (``ScoreStacker``), a logistic regression from all
/// scores to the skill fitted on scores of held-out folds, learns which skills the machines
/// confuse; a softmax over its outputs gives probabilities that sum to 1.
public struct SkillClassifier: Sendable {
  /// The skills, in model order (sorted).
  public let skills: [String]
  /// The options it was trained with.
  public let options: ClassifierOptions
  let normalizer = TextNormalizer()
  let corrector: SpellingCorrector
  let space: FeatureSpace
  let model: LinearModel
  /// The softmax scale fitted on held-out folds (or the configured one).
  public let probabilityScale: Float
  /// The second stage over the machines' scores (nil with too few examples per skill).
  let stacker: ScoreStacker?

  /// Trains on `examples`; every distinct label becomes a skill.
  public init(examples: [LabelledText], options: ClassifierOptions = ClassifierOptions()) {
    let normalizer = TextNormalizer()
    let skills = Array(Set(examples.map(\.label))).sorted()
    let labelIndex = Dictionary(uniqueKeysWithValues: skills.enumerated().map { ($1, $0) })
    let tokens = examples.map { normalizer.normalize($0.text).tokens }
    let corrector = SpellingCorrector(words: tokens.joined())
    var documents = tokens.map { Self.scalars($0) }
    var labelsList = examples.map { labelIndex[$0.label] ?? 0 }
    var typos = TypoGenerator(seed: 7)
    for _ in 0..<options.typoCopies {
      for example in examples {
        let words = normalizer.normalize(typos.misspell(example.text)).tokens.map {
          options.spellingCorrection ? corrector.correct($0) : $0
        }
        documents.append(Self.scalars(words))
        labelsList.append(labelIndex[example.label] ?? 0)
      }
    }
    let space = FeatureSpace(
      documents: documents, extractor: options.features, wordWeight: options.wordWeight,
      charWeight: options.charWeight, pairWeight: options.pairWeight,
      minimumDocuments: options.minimumDocuments)
    let vectors = documents.map { space.vector($0) }
    let labels = labelsList
    self.skills = skills
    self.options = options
    self.corrector = corrector
    self.space = space
    let (model, duals) = options.trainer.trainWithDuals(
      vectors: vectors, labels: labels, classCount: max(skills.count, 1),
      dimension: space.dimension)
    if options.calibrationFolds >= 2, skills.count >= 2,
      vectors.count >= options.calibrationFolds * 2
    {
      let held = ProbabilityCalibration.heldOutScores(
        vectors: vectors, labels: labels, classCount: skills.count, dimension: space.dimension,
        trainer: options.trainer, folds: options.calibrationFolds, seed: options.trainer.seed,
        duals: options.warmStartFolds ? duals : nil)
      let scale = ProbabilityCalibration.fitScale(held)
      probabilityScale = scale
      stacker =
        options.stacking && vectors.count >= options.stackMinimumPerSkill * skills.count
        ? ScoreStacker(
          held: held, classCount: skills.count, scale: scale, penalty: options.stackPenalty,
          iterations: options.stackIterations, rate: options.stackRate) : nil
    } else {
      probabilityScale = options.probabilityScale
      stacker = nil
    }
    self.model = model
  }

  /// The number of distinct n-gram features the model knows.
  public var featureCount: Int { space.dimension }

  /// The words of a normalised message as the model sees them, misspellings corrected.
  public func words(_ text: NormalizedText) -> [String] {
    guard options.spellingCorrection else { return text.tokens }
    return text.tokens.map { corrector.correct($0) }
  }

  /// Probabilities of every skill for `text`, most likely first.
  public func classify(_ text: String) -> SkillPrediction {
    classify(normalizer.normalize(text))
  }

  /// Probabilities of every skill for an already normalised message, most likely first.
  public func classify(_ text: NormalizedText) -> SkillPrediction {
    guard !skills.isEmpty else { return SkillPrediction(ranking: []) }
    let vector = space.vector(Self.scalars(words(text)))
    let scores = model.scores(vector)
    let probabilities =
      if let stacker {
        LinearModel.softmax(stacker.logits(scores), scale: 1)
      } else {
        LinearModel.softmax(scores, scale: probabilityScale)
      }
    // Skills are sorted, so ties fall back to the skill id through the index.
    let order = probabilities.indices.sorted {
      (probabilities[$0], $1) > (probabilities[$1], $0)
    }
    return SkillPrediction(
      ranking: order.map { SkillProbability(skill: skills[$0], probability: probabilities[$0]) })
  }

  static func scalars(_ tokens: [String]) -> [[Unicode.Scalar]] {
    tokens.map { Array($0.unicodeScalars) }
  }
}

/// How a ``SkillClassifier`` is built; the defaults were chosen by 10-fold cross-validation on
/// BANKING77 (see `bench/banking77/README.md`).
public struct ClassifierOptions: Sendable {
  /// The n-gram extractor.
  public var features = NGramFeatures()
  /// Weight of word n-grams against character n-grams.
  public var wordWeight: Float = 1
  /// Weight of character n-grams against word n-grams.
  public var charWeight: Float = 1
  /// Weight of distant word pairs.
  public var pairWeight: Float = 1
  /// N-grams found in fewer examples than this are ignored.
  public var minimumDocuments = 1
  /// The linear machines' trainer (C = 0.5: with the second stage, 0.5 beat 1 and 0.3).
  public var trainer = LinearSVMTrainer(cost: 0.5)
  /// Softmax sharpness over SVM scores when not calibrated.
  public var probabilityScale: Float = 5
  /// Folds used to fit the softmax scale on held-out scores (0: use ``probabilityScale``).
  public var calibrationFolds = 3
  /// Whether each held-out fold's machines start from the full machines' dual variables
  /// (restricted to the fold's examples) instead of from zero: the same optimum to the same
  /// tolerance in fewer passes (see `bench/banking77/README.md`).
  public var warmStartFolds = true
  /// Whether a second stage learns from held-out scores how the machines confuse skills.
  public var stacking = true
  /// The second stage is trained only with at least this many examples per skill on average:
  /// with fewer, the held-out scores are too noisy to learn confusions from (on a handful of
  /// examples per skill it learns spurious swaps) and the plain scaled softmax is used.
  public var stackMinimumPerSkill = 50
  /// The second stage's pull towards plain softmax.
  public var stackPenalty: Float = 0
  /// Its training iterations.
  public var stackIterations = 200
  /// Its learning rate.
  public var stackRate: Float = 0.05
  /// Misspelled copies of every example added to the training set.
  public var typoCopies = 0
  /// Whether unknown words are corrected against the examples' vocabulary.
  public var spellingCorrection = true

  /// The defaults.
  public init() {}
}

/// One skill's probability.
public struct SkillProbability: Sendable, Equatable {
  /// The skill id.
  public var skill: String
  /// Its probability in [0, 1].
  public var probability: Double

  /// Creates a pair.
  public init(skill: String, probability: Double) {
    self.skill = skill
    self.probability = probability
  }
}

/// Every skill's probability for one message, most likely first.
public struct SkillPrediction: Sendable, Equatable {
  /// Skills by falling probability; they sum to 1.
  public var ranking: [SkillProbability]

  /// Creates a prediction from a ranking.
  public init(ranking: [SkillProbability]) { self.ranking = ranking }

  /// The most likely skill, if any.
  public var top: SkillProbability? { ranking.first }
}
