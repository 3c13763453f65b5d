//! Packing a Word document into a `.docx`, the same bytes every time.
//!
//! docx-rs lays out the document's parts; the zip is written here, with
//! the `zip` crate, for what docx-rs does not do:
//!
//! - every entry has the same fixed time and the same order, where
//!   docx-rs stamps entries with the current time whenever the `zip`
//!   crate's `time` feature is on anywhere in the build;
//! - tracked changes are numbered in document order, where docx-rs takes
//!   their ids from a counter shared by every document the process
//!   builds, so a document's bytes would depend on what was built before
//!   it and on which thread;
//! - the core and application properties hold the title and the
//!   organisation, which docx-rs has no way to set;
//! - each footnote's text opens with its number (`w:footnoteRef`), which
//!   docx-rs does not write.

use std::borrow::Cow;
use std::io::{Cursor, Write as _};

use docx_rs::Docx;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::{Reader, Writer};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The document properties candor sets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Properties<'a> {
    /// The document's title.
    pub(crate) title: &'a str,
    /// The organisation speaking: the author and the company.
    pub(crate) organisation: &'a str,
    /// What the document is: its kind.
    pub(crate) subject: &'a str,
}

/// `docx` as the bytes of a `.docx` file.
pub(crate) fn pack(docx: Docx, properties: &Properties<'_>) -> Vec<u8> {
    let xml = docx.build();
    let mut parts: Vec<(String, Cow<'_, [u8]>)> = vec![
        (
            "[Content_Types].xml".to_owned(),
            Cow::Borrowed(&xml.content_type),
        ),
        ("_rels/.rels".to_owned(), Cow::Borrowed(&xml.rels)),
        (
            "docProps/app.xml".to_owned(),
            Cow::Owned(app_xml(properties)),
        ),
        (
            "docProps/core.xml".to_owned(),
            Cow::Owned(core_xml(properties)),
        ),
        (
            "docProps/custom.xml".to_owned(),
            Cow::Borrowed(&xml.doc_props.custom),
        ),
        (
            "word/_rels/document.xml.rels".to_owned(),
            Cow::Borrowed(&xml.document_rels),
        ),
        (
            "word/document.xml".to_owned(),
            Cow::Owned(numbered_revisions(&xml.document)),
        ),
        ("word/styles.xml".to_owned(), Cow::Borrowed(&xml.styles)),
        ("word/settings.xml".to_owned(), Cow::Borrowed(&xml.settings)),
        (
            "word/fontTable.xml".to_owned(),
            Cow::Borrowed(&xml.font_table),
        ),
        ("word/comments.xml".to_owned(), Cow::Borrowed(&xml.comments)),
        (
            "word/numbering.xml".to_owned(),
            Cow::Borrowed(&xml.numberings),
        ),
        (
            "word/commentsExtended.xml".to_owned(),
            Cow::Borrowed(&xml.comments_extended),
        ),
        (
            "word/footnotes.xml".to_owned(),
            Cow::Owned(marked_footnotes(&xml.footnotes)),
        ),
    ];
    for (index, header) in xml.headers.iter().enumerate() {
        parts.push((
            format!("word/header{}.xml", index + 1),
            Cow::Borrowed(header),
        ));
        if let Some(rels) = xml.header_rels.get(index) {
            let name = format!("word/_rels/header{}.xml.rels", index + 1);
            parts.push((name, Cow::Borrowed(rels)));
        }
    }
    for (index, footer) in xml.footers.iter().enumerate() {
        parts.push((
            format!("word/footer{}.xml", index + 1),
            Cow::Borrowed(footer),
        ));
        if let Some(rels) = xml.footer_rels.get(index) {
            let name = format!("word/_rels/footer{}.xml.rels", index + 1);
            parts.push((name, Cow::Borrowed(rels)));
        }
    }
    zipped(&parts)
}

/// The parts as a zip, in the order given, each stamped 1980-01-01 (the
/// zip format's first day) and compressed.
fn zipped(parts: &[(String, Cow<'_, [u8]>)]) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        // Writing to memory fails only when memory does.
        let _ = zip.start_file(name.as_str(), options);
        let _ = zip.write_all(bytes);
    }
    zip.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// The core properties: title, subject and author.
fn core_xml(properties: &Properties<'_>) -> Vec<u8> {
    let mut writer = Writer::new(Vec::new());
    let _ = writer.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )));
    let root = BytesStart::new("cp:coreProperties").with_attributes([
        (
            "xmlns:cp",
            "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        ),
        ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ("xmlns:dcterms", "http://purl.org/dc/terms/"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ]);
    let _ = writer.write_event(Event::Start(root));
    for (name, value) in [
        ("dc:title", properties.title),
        ("dc:subject", properties.subject),
        ("dc:creator", properties.organisation),
        ("cp:lastModifiedBy", properties.organisation),
    ] {
        element(&mut writer, name, value);
    }
    let _ = writer.write_event(Event::End(BytesEnd::new("cp:coreProperties")));
    writer.into_inner()
}

/// The application properties: the program and the company.
fn app_xml(properties: &Properties<'_>) -> Vec<u8> {
    let mut writer = Writer::new(Vec::new());
    let _ = writer.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )));
    let root = BytesStart::new("Properties").with_attributes([
        (
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        ),
        (
            "xmlns:vt",
            "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
        ),
    ]);
    let _ = writer.write_event(Event::Start(root));
    element(&mut writer, "Application", "candor");
    element(&mut writer, "Company", properties.organisation);
    let _ = writer.write_event(Event::End(BytesEnd::new("Properties")));
    writer.into_inner()
}

fn element(writer: &mut Writer<Vec<u8>>, name: &str, text: &str) {
    let _ = writer.write_event(Event::Start(BytesStart::new(name)));
    let _ = writer.write_event(Event::Text(BytesText::new(text)));
    let _ = writer.write_event(Event::End(BytesEnd::new(name)));
}

/// `xml` with every event passed through `change`, which may write events
/// of its own before or instead of it. Parts docx-rs wrote are well
/// formed; should one not be, it is kept as it was.
fn rewritten(
    xml: &[u8],
    mut change: impl FnMut(&Event<'_>, &mut Writer<Vec<u8>>) -> bool,
) -> Vec<u8> {
    let mut reader = Reader::from_reader(xml);
    let mut writer = Writer::new(Vec::with_capacity(xml.len() + 1024));
    let mut buffer = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(_) => return xml.to_vec(),
        };
        if !change(&event, &mut writer) && writer.write_event(event).is_err() {
            return xml.to_vec();
        }
        buffer.clear();
    }
    writer.into_inner()
}

/// The document with its tracked changes (`w:ins`, `w:del`) numbered 1,
/// 2, 3… in the order they appear.
fn numbered_revisions(xml: &[u8]) -> Vec<u8> {
    let mut next = 0usize;
    rewritten(xml, |event, writer| {
        let (Event::Start(start) | Event::Empty(start)) = event else {
            return false;
        };
        if !matches!(start.name().as_ref(), b"w:ins" | b"w:del") {
            return false;
        }
        next += 1;
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let mut renumbered = BytesStart::new(name);
        for attribute in start.attributes().flatten() {
            if attribute.key.as_ref() == b"w:id" {
                renumbered.push_attribute(("w:id", next.to_string().as_str()));
            } else {
                renumbered.push_attribute(attribute);
            }
        }
        let renumbered = if matches!(event, Event::Start(_)) {
            Event::Start(renumbered)
        } else {
            Event::Empty(renumbered)
        };
        let _ = writer.write_event(renumbered);
        true
    })
}

/// The footnotes with each one's text opening with its number, as Word
/// writes them: a `w:footnoteRef` run and a space before the first run.
fn marked_footnotes(xml: &[u8]) -> Vec<u8> {
    let mut awaiting_first_run = false;
    rewritten(xml, |event, writer| {
        match event {
            Event::Start(start) if start.name().as_ref() == b"w:footnote" => {
                awaiting_first_run = true;
            }
            Event::Start(start) | Event::Empty(start)
                if awaiting_first_run && start.name().as_ref() == b"w:r" =>
            {
                awaiting_first_run = false;
                write_footnote_mark(writer);
            }
            Event::End(end) if awaiting_first_run && end.name().as_ref() == b"w:p" => {
                awaiting_first_run = false;
                write_footnote_mark(writer);
            }
            _ => {}
        }
        false
    })
}

fn write_footnote_mark(writer: &mut Writer<Vec<u8>>) {
    let events = [
        Event::Start(BytesStart::new("w:r")),
        Event::Start(BytesStart::new("w:rPr")),
        Event::Empty(BytesStart::new("w:rStyle").with_attributes([("w:val", "FootnoteReference")])),
        Event::End(BytesEnd::new("w:rPr")),
        Event::Empty(BytesStart::new("w:footnoteRef")),
        Event::End(BytesEnd::new("w:r")),
        Event::Start(BytesStart::new("w:r")),
        Event::Start(BytesStart::new("w:t").with_attributes([("xml:space", "preserve")])),
        Event::Text(BytesText::new(" ")),
        Event::End(BytesEnd::new("w:t")),
        Event::End(BytesEnd::new("w:r")),
    ];
    for event in events {
        let _ = writer.write_event(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_are_numbered_in_order() {
        let xml = br#"<w:p><w:ins w:id="41" w:author="a" w:date="d"><w:r/></w:ins><w:del w:id="7" w:author="a" w:date="d"/></w:p>"#;
        let text = String::from_utf8(numbered_revisions(xml)).unwrap();
        assert_eq!(
            text,
            r#"<w:p><w:ins w:id="1" w:author="a" w:date="d"><w:r/></w:ins><w:del w:id="2" w:author="a" w:date="d"/></w:p>"#
        );
    }

    #[test]
    fn a_footnote_opens_with_its_number() {
        let xml = br#"<w:footnotes><w:footnote w:id="1"><w:p><w:pPr/><w:r><w:t>Source.</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let text = String::from_utf8(marked_footnotes(xml)).unwrap();
        assert!(
            text.contains(r#"<w:pPr/><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>"#),
            "{text}"
        );
        assert_eq!(text.matches("<w:footnoteRef/>").count(), 1);
    }

    #[test]
    fn properties_are_escaped() {
        let text = String::from_utf8(core_xml(&Properties {
            title: "A & <B>",
            organisation: "C",
            subject: "memo",
        }))
        .unwrap();
        assert!(
            text.contains("<dc:title>A &amp; &lt;B&gt;</dc:title>"),
            "{text}"
        );
    }
}
