//! The strategy as one standalone HTML page in the official layout. Every element is closed
//! explicitly and void elements are self-closed, so the page is also well-formed XML: tools
//! that read it (diffing, accessibility checks, XML pipelines) need no HTML5 parser.

use std::fmt::Write as _;

use cairn_core::{Goal, ManagementObjective, Objective, Strategy};

use crate::outline::{self, Section};

/// Plain type, high contrast, print-friendly; no external resources.
const STYLE: &str = "
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; color: #111; background: #fff;
  font-family: Georgia, 'Times New Roman', serif; font-size: 1.0625rem; line-height: 1.55; }
h1, h2, h3, h4, h5, h6 { font-family: Arial, Helvetica, sans-serif; line-height: 1.25; margin: 1.75em 0 0.5em; }
h1 { font-size: 2rem; }
h2 { font-size: 1.5rem; border-bottom: 1px solid #111; padding-bottom: 0.2em; }
h3 { font-size: 1.25rem; }
h4 { font-size: 1.1rem; }
h5, h6 { font-size: 1rem; }
a { color: #0b3a8c; }
a:focus { outline: 2px solid #111; outline-offset: 2px; }
.cover { text-align: center; padding: 3rem 0 2.5rem; border-bottom: 3px double #111; }
.cover h1 { margin-top: 0; }
.country { font-size: 1.5rem; font-weight: bold; letter-spacing: 0.08em; }
.marking { font-weight: bold; letter-spacing: 0.05em; }
.toc ol { padding-left: 1.75rem; }
.framework ul { padding-left: 1.5rem; }
.framework li { margin: 0.25em 0; }
.label { font-weight: bold; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  .cover, .toc { break-after: page; page-break-after: always; }
  .part { break-before: page; page-break-before: always; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
}
";

/// Renders the strategy as a standalone HTML page.
pub fn html(strategy: &Strategy) -> String {
    let mut page = Page::default();
    let title = outline::cover_title(strategy);
    let country = strategy
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());

    page.line("<!DOCTYPE html>");
    page.line("<html lang=\"en\">");
    page.line("<head>");
    page.line("<meta charset=\"utf-8\" />");
    page.line("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />");
    let page_title = match country {
        Some(c) => format!("{} — {}", outline::one_line(title), outline::one_line(c)),
        None => outline::one_line(title),
    };
    page.element("title", "", &page_title);
    page.line(&format!("<style>{STYLE}</style>"));
    page.line("</head>");
    page.line("<body>");

    page.line("<header class=\"cover\">");
    page.element("h1", "", &outline::one_line(title));
    if let Some(c) = country {
        page.element(
            "p",
            " class=\"country\"",
            &outline::one_line(&c.to_uppercase()),
        );
    }
    if let Some(marking) = strategy.marking.as_deref().filter(|m| !m.trim().is_empty()) {
        page.element("p", " class=\"marking\"", &outline::one_line(marking));
    }
    if let (Some(iso), Some(shown)) = (strategy.approved, outline::approved_date(strategy)) {
        page.line(&format!(
            "<p class=\"approved\">Approved: <time datetime=\"{iso}\">{shown}</time></p>"
        ));
    }
    page.line("</header>");

    let sections = outline::sections(strategy);
    contents(&sections, &mut page);

    page.line("<main>");
    let [priorities, framework, detail, management] = &sections;

    open_section(priorities, &mut page);
    for text in &strategy.priorities {
        page.paragraphs(text);
    }
    page.line("</section>");

    open_section(framework, &mut page);
    if !strategy.goals.is_empty() || !strategy.management_objectives.is_empty() {
        page.line("<ul class=\"framework\">");
        for goal in &strategy.goals {
            summary_goal(goal, &mut page);
        }
        for m in &strategy.management_objectives {
            page.line(&format!(
                "<li><a href=\"#{}\"><strong>{}:</strong></a> {}</li>",
                outline::management_id(m),
                escape(&outline::management_label(strategy, m)),
                escape(&outline::one_line(&m.title))
            ));
        }
        page.line("</ul>");
    }
    page.line("</section>");

    open_section(detail, &mut page);
    for goal in &strategy.goals {
        detail_goal(goal, &mut page);
    }
    page.line("</section>");

    open_section(management, &mut page);
    for m in &strategy.management_objectives {
        detail_management(strategy, m, &mut page);
    }
    page.line("</section>");

    page.line("</main>");
    page.line("</body>");
    page.line("</html>");
    page.out
}

fn contents(sections: &[Section; 4], page: &mut Page) {
    page.line("<nav class=\"toc\" aria-labelledby=\"table-of-contents\">");
    page.line("<h2 id=\"table-of-contents\">Table of Contents</h2>");
    page.line("<ol>");
    for s in sections {
        page.line(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            s.id,
            escape(s.title)
        ));
    }
    page.line("</ol>");
    page.line("</nav>");
}

fn open_section(section: &Section, page: &mut Page) {
    page.line(&format!(
        "<section class=\"part\" id=\"{}\" aria-labelledby=\"{}-heading\">",
        section.id, section.id
    ));
    page.line(&format!(
        "<h2 id=\"{}-heading\">{}. {}</h2>",
        section.id,
        section.number,
        escape(section.title)
    ));
}

/// A goal of the compact outline with its objectives nested below, each linking to its detail.
fn summary_goal(goal: &Goal, page: &mut Page) {
    let item = format!(
        "<li><a href=\"#{}\"><strong>{}:</strong></a> {}",
        outline::goal_id(goal),
        escape(&outline::goal_label(goal)),
        escape(&outline::one_line(&goal.title))
    );
    summary_item(&item, &goal.objectives, page);
}

/// A list item of the outline, closed on its own line when a nested list follows.
fn summary_item(item: &str, children: &[Objective], page: &mut Page) {
    if children.is_empty() {
        page.line(&format!("{item}</li>"));
    } else {
        page.line(item);
        summary_objectives(children, page);
        page.line("</li>");
    }
}

fn summary_objectives(objectives: &[Objective], page: &mut Page) {
    if objectives.is_empty() {
        return;
    }
    page.line("<ul>");
    for o in objectives {
        let item = format!(
            "<li><a href=\"#{}\"><strong>{}:</strong></a> {}",
            outline::objective_id(o),
            escape(&outline::summary_objective_label(o)),
            escape(&outline::one_line(&o.title))
        );
        summary_item(&item, &o.sub_objectives, page);
    }
    page.line("</ul>");
}

fn detail_goal(goal: &Goal, page: &mut Page) {
    page.line(&format!(
        "<section class=\"goal\" id=\"{}\">",
        outline::goal_id(goal)
    ));
    page.element(
        "h3",
        "",
        &format!(
            "{}: {}",
            outline::goal_label(goal),
            outline::one_line(&goal.title)
        ),
    );
    if let Some(text) = &goal.description {
        page.labelled("Description", text);
    }
    for o in &goal.objectives {
        detail_objective(o, page);
    }
    page.line("</section>");
}

fn detail_objective(objective: &Objective, page: &mut Page) {
    page.line(&format!(
        "<section class=\"objective\" id=\"{}\">",
        outline::objective_id(objective)
    ));
    page.element(
        &format!("h{}", outline::objective_level(objective)),
        "",
        &format!(
            "{}: {}",
            outline::detail_objective_label(objective),
            outline::one_line(&objective.title)
        ),
    );
    for (label, text) in outline::objective_blocks(
        &objective.justification,
        &objective.linkages,
        &objective.risks,
    ) {
        page.labelled(label, text);
    }
    for sub in &objective.sub_objectives {
        detail_objective(sub, page);
    }
    page.line("</section>");
}

fn detail_management(strategy: &Strategy, m: &ManagementObjective, page: &mut Page) {
    page.line(&format!(
        "<section class=\"management\" id=\"{}\">",
        outline::management_id(m)
    ));
    page.element(
        "h3",
        "",
        &format!(
            "{}: {}",
            outline::management_label(strategy, m),
            outline::one_line(&m.title)
        ),
    );
    for (label, text) in outline::objective_blocks(&m.justification, &m.linkages, &m.risks) {
        page.labelled(label, text);
    }
    page.line("</section>");
}

/// The page being written, one element per line.
#[derive(Default)]
struct Page {
    out: String,
}

impl Page {
    fn line(&mut self, line: &str) {
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// `<name attrs>text</name>` with the text escaped; `attrs` is trusted markup.
    fn element(&mut self, name: &str, attrs: &str, text: &str) {
        let _ = writeln!(self.out, "<{name}{attrs}>{}</{name}>", escape(text));
    }

    fn paragraphs(&mut self, text: &str) {
        for p in outline::paragraphs(text) {
            self.element("p", "", &p);
        }
    }

    /// The label leads the block's first paragraph, as in the printed document.
    fn labelled(&mut self, label: &str, text: &str) {
        let paragraphs = outline::paragraphs(text);
        let mut rest = paragraphs.iter();
        let first = rest.next().map(String::as_str).unwrap_or_default();
        let _ = writeln!(
            self.out,
            "<p><strong class=\"label\">{}:</strong> {}</p>",
            escape(label),
            escape(first)
        );
        for p in rest {
            self.element("p", "", p);
        }
    }
}

/// Escapes text for element content and attribute values alike.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // &#39; rather than &apos;: the one both HTML and XML know.
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in HTML or XML text.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape(r#"<a href="x">Mali's & "U.S."</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Mali&#39;s &amp; &quot;U.S.&quot;&lt;/a&gt;"
        );
        assert_eq!(
            escape("Élections, $5 *no* markdown"),
            "Élections, $5 *no* markdown"
        );
    }
}
