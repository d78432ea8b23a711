import Foundation
import Testing
@testable import Ingest

/// The one withdrawn check, on the phrasings arXiv's records really use.
@Suite struct WithdrawalTests {
    @Test func realNoticesAreRecognised() {
        // From the snapshot fixture (0704.0156) and the recorded API responses.
        #expect(Withdrawal.isWithdrawn(comments: "This paper has been withdrawn by the authors. This paper has been accepted for publication in JGR-Space Physics.", abstract: nil))
        #expect(Withdrawal.isWithdrawn(comments: nil, abstract: "This paper has been withdrawn by the authors."))
        #expect(Withdrawal.isWithdrawn(comments: "This paper has been withdrawn by the author", abstract: "We study things."))
        // Other ways arXiv's records say it.
        for comment in ["Withdrawn", "withdrawn due to an error in Lemma 3", "This submission has been withdrawn by arXiv administrators",
                        "This article has been withdrawn", "The authors have withdrawn this paper", "Paper withdrawn by the authors",
                        "This manuscript has been withdrawn as it was submitted in error", "The paper is withdrawn due to a crucial error",
                        "This version is withdrawn; see v4", "Submission withdrawn.", "withdrawn by arXiv admin: duplicate"] {
            #expect(Withdrawal.isWithdrawn(comments: comment, abstract: nil), "\(comment)")
        }
        #expect(Withdrawal.isWithdrawn(comments: "  This   paper\n  has been withdrawn", abstract: nil), "whitespace as the snapshot writes it")
    }

    @Test func theWordAloneIsNotANotice() {
        for comment in ["12 pages; withdrawn-layer model", "v2: the claim about withdrawn heat is corrected",
                        "Heat is withdrawn by the coolant", "Comments welcome"] {
            #expect(!Withdrawal.isWithdrawn(comments: comment, abstract: nil), "\(comment)")
        }
        #expect(!Withdrawal.isWithdrawn(comments: nil, abstract: "When the probe is withdrawn from the plasma, the density drops."))
        // A notice deep inside a long abstract is not arXiv's notice.
        let long = String(repeating: "A long abstract about other things. ", count: 10) + "This paper has been withdrawn."
        #expect(!Withdrawal.isWithdrawn(comments: nil, abstract: long))
        #expect(!Withdrawal.isWithdrawn(comments: nil, abstract: nil))
    }

    @Test func theByteSearchFindsTheWordInAnyCase() {
        #expect(Withdrawal.mentionsWithdrawn("This paper has been WithDrawn."))
        #expect(Withdrawal.mentionsWithdrawn("withdrawn"))
        #expect(Withdrawal.mentionsWithdrawn("withdrawithdrawn")) // a restart inside a partial match
        #expect(!Withdrawal.mentionsWithdrawn("withdraw n"))
        #expect(!Withdrawal.mentionsWithdrawn("withdrawal of the claim"))
        #expect(!Withdrawal.mentionsWithdrawn(""))
    }
}
