import Synchronization

/// A Prometheus-style metrics registry.
///
/// Look a metric up once (``counter(_:help:labels:)`` and friends return a handle) and keep the
/// handle: updating a handle is one atomic operation, so hot paths never take the registry lock.
/// ``render()`` produces the Prometheus text exposition format for `GET /metrics`.
public final class MetricsRegistry: Sendable {
  private struct Family {
    var kind: String
    var help: String
    var series: [String: any MetricSeries] = [:]
    var order: [String] = []
  }

  private let families = Mutex<[String: Family]>([:])
  private let familyOrder = Mutex<[String]>([])

  public init() {}

  /// A monotonically increasing counter, created on first use.
  public func counter(_ name: String, help: String = "", labels: [(String, String)] = [])
    -> Counter
  {
    series(name, kind: "counter", help: help, labels: labels) { Counter(labelText: $0) }
  }

  /// A value that goes up and down, created on first use.
  public func gauge(_ name: String, help: String = "", labels: [(String, String)] = []) -> Gauge {
    series(name, kind: "gauge", help: help, labels: labels) { Gauge(labelText: $0) }
  }

  /// A histogram with fixed upper bounds, created on first use.
  public func histogram(
    _ name: String, help: String = "", labels: [(String, String)] = [],
    buckets: [Double] = Histogram.latencySeconds
  ) -> Histogram {
    series(name, kind: "histogram", help: help, labels: labels) {
      Histogram(labelText: $0, bounds: buckets)
    }
  }

  private func series<M: MetricSeries>(
    _ name: String, kind: String, help: String, labels: [(String, String)],
    make: (String) -> M
  ) -> M {
    let labelText = Self.labelText(labels)
    return families.withLock { families in
      if families[name] == nil {
        families[name] = Family(kind: kind, help: help)
        familyOrder.withLock { $0.append(name) }
      }
      if let existing = families[name]?.series[labelText] as? M { return existing }
      let created = make(labelText)
      families[name]?.series[labelText] = created
      families[name]?.order.append(labelText)
      return created
    }
  }

  /// The whole registry in Prometheus text exposition format (version 0.0.4).
  public func render() -> String {
    let names = familyOrder.withLock { $0 }
    return families.withLock { families in
      var out = ""
      for name in names {
        guard let family = families[name] else { continue }
        if !family.help.isEmpty { out += "# HELP \(name) \(family.help)\n" }
        out += "# TYPE \(name) \(family.kind)\n"
        for key in family.order {
          family.series[key]?.render(name: name, into: &out)
        }
      }
      return out
    }
  }

  static func labelText(_ labels: [(String, String)]) -> String {
    if labels.isEmpty { return "" }
    let parts = labels.map { key, value in
      var escaped = ""
      for character in value {
        switch character {
        case "\\": escaped += "\\\\"
        case "\"": escaped += "\\\""
        case "\n": escaped += "\\n"
        default: escaped.append(character)
        }
      }
      return "\(key)=\"\(escaped)\""
    }
    return "{" + parts.joined(separator: ",") + "}"
  }
}

/// One labelled time series of a metric family.
protocol MetricSeries: AnyObject, Sendable {
  func render(name: String, into out: inout String)
}

/// A monotonically increasing count.
public final class Counter: MetricSeries {
  let labelText: String
  private let value = Atomic<Int>(0)

  init(labelText: String) { self.labelText = labelText }

  /// Adds `amount` (default 1).
  @inline(__always)
  public func increment(by amount: Int = 1) { value.add(amount, ordering: .relaxed) }

  /// The current count.
  public var count: Int { value.load(ordering: .relaxed) }

  func render(name: String, into out: inout String) {
    out += "\(name)\(labelText) \(count)\n"
  }
}

/// A value that can go up and down.
public final class Gauge: MetricSeries {
  let labelText: String
  private let value = Atomic<Int>(0)

  init(labelText: String) { self.labelText = labelText }

  /// Sets the value.
  public func set(_ newValue: Int) { value.store(newValue, ordering: .relaxed) }
  /// Adds `amount`, which may be negative.
  public func add(_ amount: Int) { value.add(amount, ordering: .relaxed) }
  /// The current value.
  public var current: Int { value.load(ordering: .relaxed) }

  func render(name: String, into out: inout String) {
    out += "\(name)\(labelText) \(current)\n"
  }
}

/// Counts observations into cumulative buckets, Prometheus style.
public final class Histogram: MetricSeries {
  /// Bucket bounds suited to request and fsync latencies, in seconds.
  public static let latencySeconds: [Double] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
  ]
  /// Bucket bounds suited to batch sizes.
  public static let batchSizes: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]

  private struct State {
    var buckets: [Int]
    var count = 0
    var sum = 0.0
  }

  let labelText: String
  let bounds: [Double]
  private let state: Locked<State>

  init(labelText: String, bounds: [Double]) {
    self.labelText = labelText
    self.bounds = bounds
    self.state = Locked(State(buckets: Array(repeating: 0, count: bounds.count)))
  }

  /// Records one observation.
  public func observe(_ value: Double) {
    let index = bounds.firstIndex { value <= $0 }
    state.withLock { state in
      if let index { state.buckets[index] += 1 }
      state.count += 1
      state.sum += value
    }
  }

  /// How many observations were recorded.
  public var observations: Int { state.withLock { $0.count } }

  func render(name: String, into out: inout String) {
    let snapshot = state.withLock { $0 }
    let inner = labelText.isEmpty ? "" : String(labelText.dropFirst().dropLast()) + ","
    var cumulative = 0
    for (index, bound) in bounds.enumerated() {
      cumulative += snapshot.buckets[index]
      out += "\(name)_bucket{\(inner)le=\"\(bound)\"} \(cumulative)\n"
    }
    out += "\(name)_bucket{\(inner)le=\"+Inf\"} \(snapshot.count)\n"
    out += "\(name)_sum\(labelText) \(snapshot.sum)\n"
    out += "\(name)_count\(labelText) \(snapshot.count)\n"
  }
}
