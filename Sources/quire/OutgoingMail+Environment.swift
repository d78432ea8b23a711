import Foundation
import Logging
import Mail
import Web

extension OutgoingMail {
    /// Mail as the environment configures it (see `MailConfig`); with none,
    /// mails are written as .eml files into `mail-outbox` beside the
    /// database, so password resets work on a machine with no mail server
    /// and whoever runs it can still read them.
    static func configured(localFolder: URL, logger: Logger) throws -> OutgoingMail {
        if let config = try MailConfig.fromEnvironment() {
            logger.info("mail: \(config.summary)")
            return OutgoingMail(transport: config.makeTransport(logger: logger), from: config.from)
        }
        let folder = localFolder.appendingPathComponent("mail-outbox")
        logger.info("mail: no QUIRE_SMTP_HOST, QUIRE_SENDMAIL or QUIRE_MAIL_DIR set; writing mails to \(folder.path)")
        return OutgoingMail(transport: DirectoryTransport(directory: folder), from: MailAddress("quire@localhost", name: "Quire"))
    }
}
