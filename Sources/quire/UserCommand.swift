import ArgumentParser
import Foundation
import ReaderActions
import Storage

/// Accounts from the command line: the first admin, and role changes.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add readers and change their roles.",
        subcommands: [Add.self, SetRole.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create an account. The password is read from standard input (one line), or made up and printed.")

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("Username: \(Username.rule).")) var username: String
        @Argument(help: "Email address.") var email: String
        @Flag(help: "Make the account an admin.") var admin = false
        @Flag(help: "Make the account a moderator.") var moderator = false
        @Flag(help: "Read the password from standard input instead of generating one.") var passwordStdin = false
        @Option(help: "bcrypt work factor.") var bcryptCost = 12

        func run() async throws {
            guard !(admin && moderator) else { throw ValidationError("choose --admin or --moderator, not both") }
            guard let cost = UInt8(exactly: bcryptCost), (4...31).contains(cost) else { throw ValidationError("--bcrypt-cost must be 4 to 31") }
            let role: Role = admin ? .admin : moderator ? .moderator : .reader
            do {
                // The rules are checked before the password is read or the database opened.
                _ = try Username.validated(username)
                _ = try AccountActions.emailAddress(email)
                let password: String
                if passwordStdin {
                    password = readLine(strippingNewline: true) ?? ""
                    try AccountActions.checkNewPassword(password)
                } else {
                    password = String((0..<4).map { _ in String(UUID().uuidString.prefix(6)).lowercased() }.joined(separator: "-"))
                }
                // Made by whoever runs the server: the address counts as confirmed.
                let user = try await store.withStore { db in
                    try await AccountActions(store: db, hasher: PasswordHasher(cost: cost), lockout: .never)
                        .signUp(username: username, email: email, password: password, role: role, emailConfirmed: true)
                }
                print("created \(role.rawValue) \(user.username) <\(user.email)>")
                if !passwordStdin { print("password: \(password)") }
            } catch let error as Refusal {
                throw ValidationError(error.description)
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Set an account's role: reader, moderator or admin.")
        @OptionGroup var store: StoreOptions
        @Argument var username: String
        @Argument var role: String

        func run() async throws {
            do {
                // The name is checked before the database is opened.
                let role = try RoleActions.role(role)
                let user = try await store.withStore { try await RoleActions(store: $0).set(username, to: role) }
                print("\(user.username) is now \(role.rawValue)")
            } catch let error as Refusal {
                throw ValidationError(error.description)
            }
        }
    }
}
