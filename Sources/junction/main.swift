import Foundation
import JunctionGateway

exit(
  JunctionCommand.run(
    Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
