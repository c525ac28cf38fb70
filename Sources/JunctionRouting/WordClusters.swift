import Foundation

/// How supervised word clusters are built (an experiment; off by default).
public struct WordClusterOptions: Sendable, Equatable {
  /// 0: off; 1: each word's most likely skill × a confidence bucket; 2: spherical k-means over
  /// the words' skill distributions.
  public var mode = 0
  /// Clusters of k-means.
  public var clusters = 300
  /// Confidence buckets of the most likely skill (mode 1).
  public var buckets = 3
  /// Words in fewer examples than this get no cluster.
  public var minimumCount = 2
  /// Add-alpha smoothing of p(skill | word).
  public var alpha: Float = 0.05
  /// Words whose most likely skill has a smaller probability get no cluster.
  public var minimumShare: Float = 0
  /// Whether adjacent words' cluster pairs are features too.
  public var bigrams = true
  /// Whether a training example's words are clustered from counts without that example.
  public var leaveOneOut = true
  /// Weight of the cluster group.
  public var weight: Float = 0.5

  /// Off.
  public init() {}
}

/// Supervised word clusters: every word the examples used often enough gets its smoothed
/// skill distribution p(skill | word), and words with similar distributions share a cluster,
/// so synonyms used for the same intent share a feature. The cluster ids of a message's words
/// (and of adjacent pairs) become keys of their own feature group.
struct WordClusters: Sendable {
  let options: WordClusterOptions
  let classCount: Int
  /// Per word: the number of examples of each skill using it (`classCount` each), its total.
  var counts: [String: (perClass: [Float], total: Float)]
  /// k-means centroids (mode 2), `clusters × classCount`, unit length.
  var centroids: [Float]
  /// The cluster of every word with enough examples.
  var assignment: [String: Int32]

  init(documents: [[String]], labels: [Int], classCount: Int, options: WordClusterOptions) {
    self.options = options
    self.classCount = classCount
    var counts: [String: (perClass: [Float], total: Float)] = [:]
    for (words, label) in zip(documents, labels) {
      for word in Set(words) where word.first != "<" {
        var entry = counts[word] ?? ([Float](repeating: 0, count: classCount), 0)
        entry.perClass[label] += 1
        entry.total += 1
        counts[word] = entry
      }
    }
    self.counts = counts
    centroids = []
    assignment = [:]
    let frequent = counts.keys.sorted().filter {
      (counts[$0]?.total ?? 0) >= Float(options.minimumCount)
    }
    if options.mode == 2 {
      let points = frequent.map { Self.unit(distribution(counts[$0]?.perClass ?? [])) }
      centroids = Self.kMeans(points, k: min(options.clusters, points.count), n: classCount)
    }
    for word in frequent {
      if let entry = counts[word], let id = cluster(entry.perClass, total: entry.total) {
        assignment[word] = id
      }
    }
  }

  /// p(skill | word) from per-skill counts, add-alpha smoothed.
  func distribution(_ perClass: [Float]) -> [Float] {
    let total = perClass.reduce(0, +) + options.alpha * Float(classCount)
    return perClass.map { ($0 + options.alpha) / total }
  }

  /// The cluster of a word with these counts, nil when too rare or too spread.
  func cluster(_ perClass: [Float], total: Float) -> Int32? {
    guard total >= Float(options.minimumCount), !perClass.isEmpty else { return nil }
    let p = distribution(perClass)
    var best = 0
    for k in p.indices where p[k] > p[best] { best = k }
    guard p[best] >= options.minimumShare else { return nil }
    if options.mode == 1 {
      let bucket = min(options.buckets - 1, Int(p[best] * Float(options.buckets)))
      return Int32(best * options.buckets + bucket)
    }
    let point = Self.unit(p)
    let n = classCount
    var top = -Float.infinity
    var id = 0
    for c in 0..<(centroids.count / max(n, 1)) {
      var dot: Float = 0
      for k in 0..<n { dot += point[k] * centroids[c * n + k] }
      if dot > top {
        top = dot
        id = c
      }
    }
    return centroids.isEmpty ? nil : Int32(id)
  }

  /// Cluster ids of a message's words at run time (-1: none).
  func ids(_ words: [String]) -> [Int32] { words.map { assignment[$0] ?? -1 } }

  /// Cluster ids of a training example's words, from counts without the example itself when
  /// leave-one-out is on (its own label would make the feature look more reliable than it is).
  func trainingIDs(
    _ words: [String], label: Int, cache: inout [String: Int32]
  ) -> [Int32] {
    guard options.leaveOneOut else { return ids(words) }
    return words.map { word in
      let key = "\(label)|\(word)"
      if let known = cache[key] { return known }
      var id: Int32 = -1
      if var entry = counts[word], entry.perClass[label] > 0 {
        entry.perClass[label] -= 1
        id = cluster(entry.perClass, total: entry.total - 1) ?? -1
      }
      cache[key] = id
      return id
    }
  }

  /// Keys of the cluster group: cluster unigrams and adjacent cluster pairs.
  func keys(_ ids: [Int32], into keys: inout [UInt64]) {
    for id in ids where id >= 0 {
      keys.append(NGramFeatures.mix(NGramFeatures.mix(NGramFeatures.offsetBasis, 11), UInt32(id)))
    }
    guard options.bigrams, ids.count > 1 else { return }
    for index in 1..<ids.count where ids[index - 1] >= 0 && ids[index] >= 0 {
      let hash = NGramFeatures.mix(NGramFeatures.offsetBasis, 12)
      keys.append(
        NGramFeatures.mix(NGramFeatures.mix(hash, UInt32(ids[index - 1])), UInt32(ids[index])))
    }
  }

  static func unit(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return norm > 0 ? vector.map { $0 / norm } : vector
  }

  /// Spherical k-means (k-means++ start, 20 rounds); centroids flattened, unit length.
  static func kMeans(_ points: [[Float]], k: Int, n: Int) -> [Float] {
    guard k > 0, !points.isEmpty else { return [] }
    var random = SplitMix64(seed: 17)
    var centroids: [Float] = points[Int(random.next() % UInt64(points.count))]
    var nearest = [Float](repeating: 2, count: points.count)
    func distance(_ p: [Float], _ c: Int) -> Float {
      var dot: Float = 0
      for j in 0..<n { dot += p[j] * centroids[c * n + j] }
      return max(0, 1 - dot)
    }
    while centroids.count / n < k {
      let last = centroids.count / n - 1
      for (i, p) in points.enumerated() { nearest[i] = min(nearest[i], distance(p, last)) }
      let total = nearest.reduce(0, +)
      var target = Float(Double(random.next() % 1_000_000) / 1e6) * total
      var chosen = points.count - 1
      for (i, d) in nearest.enumerated() {
        target -= d
        if target <= 0 {
          chosen = i
          break
        }
      }
      centroids += points[chosen]
    }
    var member = [Int](repeating: 0, count: points.count)
    for _ in 0..<20 {
      for (i, p) in points.enumerated() {
        var best = 0
        var top = Float.infinity
        for c in 0..<k {
          let d = distance(p, c)
          if d < top {
            top = d
            best = c
          }
        }
        member[i] = best
      }
      var sums = [Float](repeating: 0, count: k * n)
      for (i, p) in points.enumerated() {
        for j in 0..<n { sums[member[i] * n + j] += p[j] }
      }
      for c in 0..<k {
        let row = unit(Array(sums[(c * n)..<((c + 1) * n)]))
        if row.contains(where: { $0 != 0 }) {
          for j in 0..<n { centroids[c * n + j] = row[j] }
        }
      }
    }
    return centroids
  }
}
