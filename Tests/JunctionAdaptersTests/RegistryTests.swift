import Foundation
import JunctionAdapters
import JunctionChannels
import Testing

@Suite struct RegistryTests {
  /// STYLE.md rule 3: the registry and the folders under adapters/ agree.
  @Test func everyFolderIsRegisteredAndEveryAdapterHasItsFolder() throws {
    let folders = try FileManager.default.contentsOfDirectory(
      atPath: Fixtures.adaptersDirectory.path
    )
    .filter { name in
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(
        atPath: Fixtures.adaptersDirectory.appendingPathComponent(name).path,
        isDirectory: &isDirectory)
      return isDirectory.boolValue
    }
    #expect(Set(folders) == Set(AdapterRegistry.all.map { $0.manifest.name }))
  }

  /// Each adapter folder has the parts an admin and the tests rely on.
  @Test func everyAdapterHasAReadmeDocumentingEverySettingAndFixtures() throws {
    for adapter in AdapterRegistry.all {
      let name = adapter.manifest.name
      let folder = Fixtures.adaptersDirectory.appendingPathComponent(name)
      let readme = try String(
        contentsOf: folder.appendingPathComponent("README.md"), encoding: .utf8)
      for setting in adapter.manifest.settings {
        #expect(
          readme.contains("`\(setting.name)`"),
          "\(name)/README.md does not document \(setting.name)")
      }
      let fixtures = try FileManager.default.contentsOfDirectory(
        atPath: folder.appendingPathComponent("fixtures").path)
      #expect(!fixtures.isEmpty, "\(name) has no fixtures")
    }
  }
}
