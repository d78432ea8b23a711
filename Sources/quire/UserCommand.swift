import ArgumentParser
import Foundation
import Mail
import Storage
import Web

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
        @Argument(help: "Username: 3 to 30 letters, digits, - or _.") var username: String
        @Argument(help: "Email address.") var email: String
        @Flag(help: "Make the account an admin.") var admin = false
        @Flag(help: "Make the account a moderator.") var moderator = false
        @Flag(help: "Read the password from standard input instead of generating one.") var passwordStdin = false
        @Option(help: "bcrypt work factor.") var bcryptCost = 12

        func run() async throws {
            guard !(admin && moderator) else { throw ValidationError("choose --admin or --moderator, not both") }
            let name = username.lowercased()
            guard (3...30).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ValidationError("the username must be 3 to 30 letters, digits, - or _")
            }
            guard let address = MailAddress.parse(email), address.isValid else { throw ValidationError("not an email address: \(email)") }
            var password: String
            var generated = false
            if passwordStdin {
                password = readLine(strippingNewline: true) ?? ""
                if let problem = PasswordHasher.problem(with: password) { throw ValidationError(problem) }
            } else {
                password = String((0..<4).map { _ in String(UUID().uuidString.prefix(6)).lowercased() }.joined(separator: "-"))
                generated = true
            }
            let role: Role = admin ? .admin : moderator ? .moderator : .reader
            let db = try store.openStore()
            do {
                let user = try await db.createUser(username: name, email: address.address, passwordHash: await PasswordHasher(cost: UInt8(bcryptCost)).hash(password),
                                                   role: role, now: Date())
                // Made by whoever runs the server: the address counts as confirmed.
                try await db.confirmEmail(userID: user.id)
                print("created \(role.rawValue) \(user.username) <\(user.email)>")
                if generated { print("password: \(password)") }
            } catch let error as StoreError {
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
            guard let role = Role(rawValue: role) else { throw ValidationError("the role must be reader, moderator or admin") }
            let db = try store.openStore()
            guard let user = try await db.user(username: username) else { throw ValidationError("there is no account '\(username)'") }
            try await db.setRole(userID: user.id, role: role)
            print("\(user.username) is now \(role.rawValue)")
        }
    }
}
