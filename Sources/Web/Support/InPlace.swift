import Foundation
import HTTPTypes
import Hummingbird

/// Buttons that update in place ("▲ Upvote", "Save"): a little progressive
/// enhancement. Without JavaScript the form posts and the server redirects
/// back to the entry (`PaperListView.anchor`), so the page does not jump to
/// the top. With it, `script` sends the same form with `header` and swaps
/// the element around the form (`data-in-place-box`, else the form itself)
/// for the HTML the server answers: the same renderer as the page, so the
/// two can never disagree.
enum InPlace {
    static let header = HTTPField.Name("Quire-In-Place")!

    static func wanted(_ request: Request) -> Bool { request.headers[header] == "1" }

    /// The new HTML of the box, rendered as if on the page the form came
    /// from (`back`), so its own forms send the reader back there too.
    static func response(back: String?, _ render: () -> String) -> Response {
        var viewer = Viewer.current
        if let back = back.flatMap(Gate.localPath) { viewer.path = back }
        let html = Viewer.$current.withValue(viewer) { render() }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// Sent with pages for signed-in readers. A refused or failed request
    /// falls back to posting the form, so the reader sees the server's page
    /// and its message (the log-in page, "too many requests"). Buttons are
    /// disabled while a request is out: a double click sends one.
    static let script = """
    <script>
    document.addEventListener("submit", async (event) => {
      const form = event.target;
      if (!form.matches("form[data-in-place]")) return;
      event.preventDefault();
      if (form.dataset.sending) return;
      form.dataset.sending = "1";
      form.querySelectorAll("button").forEach((b) => b.disabled = true);
      try {
        const answer = await fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form)),
                                                 headers: {"Quire-In-Place": "1"}, credentials: "same-origin", redirect: "manual"});
        if (answer.status !== 200) throw new Error(String(answer.status));
        const html = await answer.text();
        (form.closest("[data-in-place-box]") || form).outerHTML = html;
      } catch (error) {
        delete form.dataset.sending;
        HTMLFormElement.prototype.submit.call(form);
      }
    });
    </script>
    """
}
