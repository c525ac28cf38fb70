import Foundation

/// Dense word vectors learned from the training examples themselves, so that words used in the
/// same contexts (synonyms, spellings of one thing) land close together where the sparse
/// n-grams see unrelated features.
///
/// Words co-occurring in one message are counted, the counts become positive pointwise mutual
/// information (context distribution smoothed with exponent 0.75, Levy et al. 2015), and a
/// randomized subspace iteration (Halko et al. 2011) finds the PPMI matrix's leading
/// `dimension`-dimensional subspace. A word's vector is its PPMI row projected onto that
/// subspace, L2-normalised; a message's vector is the idf-weighted mean of its words' vectors.
/// The subspace's basis is arbitrary up to a rotation, which a linear model does not notice.
struct LatentSemantics: Sendable {
  /// The number of dense dimensions.
  let dimension: Int
  /// Row of each known word (keyed by its hash).
  var rows: [UInt64: Int32]
  /// `vectors[row * dimension + d]`, each row L2-normalised and scaled by the word's idf.
  var vectors: [Float]

  /// Learns vectors of `dimension` dimensions from `documents` (each a list of words).
  init(documents: [[[Unicode.Scalar]]], dimension: Int, iterations: Int = 2, seed: UInt64 = 11) {
    var rows: [UInt64: Int32] = [:]
    var documentRows: [[Int32]] = []
    var frequency: [Float] = []
    for words in documents {
      var list: [Int32] = []
      for word in words where word.first != "<" {
        let key = Self.key(word)
        let row: Int32
        if let known = rows[key] {
          row = known
        } else {
          row = Int32(rows.count)
          rows[key] = row
          frequency.append(0)
        }
        if !list.contains(row) { list.append(row) }
      }
      for row in list { frequency[Int(row)] += 1 }
      documentRows.append(list)
    }
    let count = rows.count
    let k = max(1, min(dimension, count))
    self.dimension = dimension
    self.rows = rows
    guard count > 1 else {
      vectors = [Float](repeating: 0, count: count * dimension)
      return
    }
    // Co-occurrence counts within a message, as a sparse symmetric matrix.
    var pairCounts: [Int: Float] = [:]
    for list in documentRows where list.count > 1 {
      for a in list {
        for b in list where a != b { pairCounts[Int(a) << 32 | Int(b), default: 0] += 1 }
      }
    }
    var rowTotal = [Float](repeating: 0, count: count)
    var total: Float = 0
    for (pair, value) in pairCounts {
      rowTotal[pair >> 32] += value
      total += value
    }
    let smoothed = rowTotal.map { pow($0, 0.75) }
    let smoothedTotal = smoothed.reduce(0, +)
    var entries: [(row: Int32, column: Int32, value: Float)] = []
    entries.reserveCapacity(pairCounts.count)
    for (pair, value) in pairCounts {
      let a = pair >> 32
      let b = pair & 0xFFFF_FFFF
      let pmi = log(value * smoothedTotal / (rowTotal[a] * smoothed[b]))
      if pmi > 0 { entries.append((Int32(a), Int32(b), pmi)) }
    }
    entries.sort { ($0.row, $0.column) < ($1.row, $1.column) }
    let matrix = SparseRows(count: count, entries: entries)
    // Randomized subspace iteration: Q spans the leading eigenspace of the symmetric matrix.
    var random = SplitMix64(seed: seed)
    var basis = (0..<(count * k)).map { _ in
      Float(Double(random.next() >> 11) / Double(1 << 53)) - 0.5
    }
    for _ in 0...max(iterations, 0) {
      basis = matrix.times(basis, columns: k)
      Self.orthonormalize(&basis, rows: count, columns: k)
    }
    var projected = matrix.times(basis, columns: k)
    let idf = frequency.map { log((1 + Float(documents.count)) / (1 + $0)) + 1 }
    for row in 0..<count {
      var norm: Float = 0
      for d in 0..<k { norm += projected[row * k + d] * projected[row * k + d] }
      let scale = norm > 0 ? idf[row] / norm.squareRoot() : 0
      for d in 0..<k { projected[row * k + d] *= scale }
    }
    if k < dimension {
      var padded = [Float](repeating: 0, count: count * dimension)
      for row in 0..<count {
        for d in 0..<k { padded[row * dimension + d] = projected[row * k + d] }
      }
      projected = padded
    }
    vectors = projected
  }

  /// The message vector of `words`: the idf-weighted mean of their vectors, L2-normalised to
  /// `weight` (all zeros when no word is known).
  func embed(_ words: [[Unicode.Scalar]], weight: Float) -> [Float] {
    var sum = [Float](repeating: 0, count: dimension)
    for word in words {
      guard let row = rows[Self.key(word)] else { continue }
      let base = Int(row) * dimension
      for d in 0..<dimension { sum[d] += vectors[base + d] }
    }
    let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return sum }
    let scale = weight / norm
    for d in 0..<dimension { sum[d] *= scale }
    return sum
  }

  static func key(_ word: [Unicode.Scalar]) -> UInt64 {
    var hash = NGramFeatures.mix(NGramFeatures.offsetBasis, 9)
    for scalar in word { hash = NGramFeatures.mix(hash, scalar.value) }
    return hash
  }

  /// Modified Gram–Schmidt over the columns of a row-major `rows × columns` matrix.
  static func orthonormalize(_ matrix: inout [Float], rows: Int, columns: Int) {
    matrix.withUnsafeMutableBufferPointer { m in
      for column in 0..<columns {
        for previous in 0..<column {
          var dot: Float = 0
          for row in 0..<rows { dot += m[row * columns + column] * m[row * columns + previous] }
          for row in 0..<rows { m[row * columns + column] -= dot * m[row * columns + previous] }
        }
        var norm: Float = 0
        for row in 0..<rows { norm += m[row * columns + column] * m[row * columns + column] }
        let scale: Float = norm > 1e-20 ? 1 / norm.squareRoot() : 0
        for row in 0..<rows { m[row * columns + column] *= scale }
      }
    }
  }
}

/// A sparse matrix in compressed rows.
struct SparseRows {
  var starts: [Int]
  var columns: [Int32]
  var values: [Float]

  init(count: Int, entries: [(row: Int32, column: Int32, value: Float)]) {
    starts = [Int](repeating: 0, count: count + 1)
    for entry in entries { starts[Int(entry.row) + 1] += 1 }
    for row in 0..<count { starts[row + 1] += starts[row] }
    columns = entries.map(\.column)
    values = entries.map(\.value)
  }

  /// This matrix times a dense row-major matrix of `columns` columns.
  func times(_ dense: [Float], columns width: Int) -> [Float] {
    let count = starts.count - 1
    var result = [Float](repeating: 0, count: count * width)
    result.withUnsafeMutableBufferPointer { r in
      dense.withUnsafeBufferPointer { x in
        for row in 0..<count {
          let out = row * width
          for entry in starts[row]..<starts[row + 1] {
            let value = values[entry]
            let source = Int(columns[entry]) * width
            for d in 0..<width { r[out + d] += value * x[source + d] }
          }
        }
      }
    }
    return result
  }
}
