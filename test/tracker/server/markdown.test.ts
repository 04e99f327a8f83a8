import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderMarkdown } from "../../../tracker/server/markdown.js";

const XSS = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](&#106;avascript:alert(1))",
  "[x](&#x6A;avascript&colon;alert(1))",
  "[x](java\tscript:alert(1))",
  "[x](data:text/html,<script>alert(1)</script>)",
  "[x](vbscript:msgbox(1))",
  "[a [b] c](javascript:alert(1))",
  "[[x]](javascript:alert(1))",
  "<javascript:alert(1)>",
  '[x](https://ok.example/" onmouseover="alert(1))',
  "```\n</code></pre><script>alert(1)</script>\n```",
  "**<svg onload=alert(1)>**",
];

/** Every tag in the output, and every href. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)].map((m) => m[0]);
}

describe("renderMarkdown", () => {
  for (const input of XSS) {
    it(`leaves nothing active of ${JSON.stringify(input)}`, () => {
      const html = renderMarkdown(input);
      for (const tag of tags(html)) {
        assert.match(tag, /^<\/?(p|h[1-6]|strong|em|code|pre|ul|ol|li|a)( href="[^"]*" rel="noopener noreferrer nofollow")?>$/, html);
        const href = /href="([^"]*)"/.exec(tag)?.[1];
        if (href !== undefined) assert.match(href, /^(https?:|mailto:|[^:]*$)/i, html);
      }
      assert.doesNotMatch(html, /<(script|img|svg)/i);
    });
  }

  it("renders headings, emphasis, code, lists and safe links", () => {
    const html = renderMarkdown("# T\n\n**b** *e* `c`\n\n- one\n- [l](https://x.org/?a=1&b=2)\n\n```\nx < y\n```");
    assert.equal(
      html,
      '<h1>T</h1>\n<p><strong>b</strong> <em>e</em> <code>c</code></p>\n<ul><li>one</li><li><a href="https://x.org/?a=1&amp;b=2" rel="noopener noreferrer nofollow">l</a></li></ul>\n<pre><code>x &lt; y</code></pre>',
    );
  });
});
