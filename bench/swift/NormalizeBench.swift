import Foundation
import JunctionRouting

/// `junction-bench normalize [count]`: time per `TextNormalizer.normalize` of customer messages
/// in Russian, English and Persian (and per full `Understanding.understand` with an empty
/// configuration is not measured here; see `banking77`).
func normalizeBench(_ arguments: [String]) throws {
  let count = arguments.first.flatMap(Int.init) ?? 20_000
  let texts = [
    "Здравствуйте! Заказ #48213 должен был прийти вчера, но трекинг показывает, что посылка застряла на складе в Казани. Подскажите, пожалуйста, когда её отправят? Hello, order 48213 is late.",
    "I was charged twice for my order, please check the payment and refund the difference to my card ending 4411",
    "سلام، سفارش ۴۸۲۱۳ من هنوز نرسیده است. لطفا بررسی کنید",
    "сколько стоит доставка в Казнь?",
  ]
  let normalizer = TextNormalizer()
  var tokens = 0
  let started = Date()
  for index in 0..<count { tokens += normalizer.normalize(texts[index % texts.count]).tokens.count }
  let seconds = Date().timeIntervalSince(started)
  print(
    String(
      format: "normalize: %.2f µs per message (%d messages, %d tokens)",
      seconds / Double(count) * 1e6, count, tokens))
}
