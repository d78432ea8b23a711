import Testing
import Web

/// `MultipartForm`, the upload forms' parser (also the `multipart-form` fuzz target).
@Suite struct MultipartFormTests {
    static func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func fieldsInTheOrderSent() {
        let fields = MultipartForm.fields(Self.body("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bib\"\r\n\r\n@misc{x}\r\n--XyZ--\r\n"), boundary: "XyZ")
        #expect(fields?.map(\.name) == ["a", "file"] && fields?.map(\.value) == ["one", "@misc{x}"])
    }

    /// Found by the fuzzer: a part whose blank line is the delimiter's own
    /// CRLF trapped (its value would start past its end); it is an empty value.
    @Test func aPartEndingAtItsBlankLineHasAnEmptyValue() {
        let fields = MultipartForm.fields(Self.body("--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n--XyZ--"), boundary: "XyZ")
        #expect(fields?.map(\.name) == ["csrf"] && fields?.map(\.value) == [""])
        #expect(MultipartForm.fields(Self.body("--XyZ\r\nContent-Disposition:abc\r\n--XyZ--"), boundary: "XyZ") == nil)
    }
}
