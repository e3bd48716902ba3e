//! [`Message`] → edXML, laid out as the exchange SDK lays out its own packages (the 2025
//! samples): an `edXML` root holding the `edXML:`-prefixed envelope, then `AttachmentEncoded`
//! in the default namespace, elements in the SDK's order, absent values left out, two-space
//! indentation, attachments as one line of base64.
//!
//! Everything written reads back to the same [`Message`] (the tests check it): text is
//! escaped, and a carriage return is written as `&#13;` because XML parsers turn a literal one
//! into a line feed.

use std::io::{self, Write};

use vn_calendar::Date;

use crate::{
    Business, Header, Message, NAMESPACE, Organ, Package, ResponseFor, Staff, Status, base64,
};

/// Writes a message.
pub fn write<W: Write>(message: &Message, out: W) -> io::Result<()> {
    let mut w = Writer {
        out,
        depth: 0,
        prefix: "edXML:",
    };
    w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    w.raw(&format!("<edXML xmlns=\"{NAMESPACE}\">\n"))?;
    w.depth = 1;
    w.indent()?;
    w.raw(&format!(
        "<edXML:edXMLEnvelope xmlns:edXML=\"{NAMESPACE}\">\n"
    ))?;
    w.depth += 1;
    w.open("edXMLHeader")?;
    match message {
        Message::Package(p) => package_header(&mut w, p)?,
        Message::Status(s) => status(&mut w, s)?,
    }
    w.close("edXMLHeader")?;
    if let Message::Package(p) = message
        && !p.attachments.is_empty()
    {
        w.open("edXMLBody")?;
        w.indent()?;
        w.raw("<edXML:edXMLManifest version=\"1.0\">\n")?;
        w.depth += 1;
        for a in &p.attachments {
            w.open("Reference")?;
            w.leaf("ContentId", a.content_id.as_deref())?;
            w.leaf("ContentType", a.content_type.as_deref())?;
            w.leaf("AttachmentName", a.name.as_deref())?;
            w.leaf("Description", a.description.as_deref())?;
            w.close("Reference")?;
        }
        w.close("edXMLManifest")?;
        w.close("edXMLBody")?;
    }
    w.close("edXMLEnvelope")?;
    if let Message::Package(p) = message
        && !p.attachments.is_empty()
    {
        // The SDK writes the attachments in the root's default namespace, unprefixed.
        w.prefix = "";
        w.open("AttachmentEncoded")?;
        for a in &p.attachments {
            w.open("Attachment")?;
            w.leaf("ContentId", a.content_id.as_deref())?;
            w.leaf("AttachmentName", a.name.as_deref())?;
            w.leaf("Description", a.description.as_deref())?;
            w.leaf("ContentType", a.content_type.as_deref())?;
            w.indent()?;
            w.raw(&format!(
                "<edXML:ContentTransferEncoded xmlns:edXML=\"{NAMESPACE}\">"
            ))?;
            let mut encoded = Vec::new();
            base64::encode_into(&a.data, &mut encoded);
            w.out.write_all(&encoded)?;
            w.raw("</edXML:ContentTransferEncoded>\n")?;
            w.close("Attachment")?;
        }
        w.close("AttachmentEncoded")?;
    }
    w.raw("</edXML>\n")?;
    w.out.flush()
}

/// A message as bytes.
pub fn to_vec(message: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    write(message, &mut out).expect("writing to a Vec cannot fail");
    out
}

fn package_header<W: Write>(w: &mut Writer<W>, p: &Package) -> io::Result<()> {
    let h: &Header = &p.header;
    w.open("MessageHeader")?;
    organ(w, "From", &h.from)?;
    for to in &h.to {
        organ(w, "To", to)?;
    }
    w.leaf("DocumentId", h.document_id.as_deref())?;
    if h.code.number.is_some() || h.code.notation.is_some() {
        w.open("Code")?;
        w.leaf("CodeNumber", h.code.number.as_deref())?;
        w.leaf("CodeNotation", h.code.notation.as_deref())?;
        w.close("Code")?;
    }
    if h.place.is_some() || h.promulgation_date.is_some() {
        w.open("PromulgationInfo")?;
        w.leaf("Place", h.place.as_deref())?;
        w.leaf("PromulgationDate", date(h.promulgation_date).as_deref())?;
        w.close("PromulgationInfo")?;
    }
    let t = &h.document_type;
    if t.type_code.is_some() || t.detail.is_some() || t.name.is_some() {
        w.open("DocumentType")?;
        w.leaf("Type", t.type_code.as_deref())?;
        w.leaf("TypeDetail", t.detail.as_deref())?;
        w.leaf("TypeName", t.name.as_deref())?;
        w.close("DocumentType")?;
    }
    w.leaf("Subject", h.subject.as_deref())?;
    w.leaf("Content", h.content.as_deref())?;
    let s = &h.signer;
    if s.competence.is_some() || s.position.is_some() || s.full_name.is_some() {
        w.open("SignerInfo")?;
        w.leaf("Competence", s.competence.as_deref())?;
        w.leaf("Position", s.position.as_deref())?;
        w.leaf("FullName", s.full_name.as_deref())?;
        w.close("SignerInfo")?;
    }
    w.leaf("DueDate", date(h.due_date).as_deref())?;
    let o = &h.other;
    if *o != Default::default() {
        w.open("OtherInfo")?;
        w.leaf("Priority", o.priority.map(|n| n.to_string()).as_deref())?;
        w.leaf("SphereOfPromulgation", o.sphere_of_promulgation.as_deref())?;
        w.leaf("TyperNotation", o.typer_notation.as_deref())?;
        w.leaf(
            "PromulgationAmount",
            o.promulgation_amount.map(|n| n.to_string()).as_deref(),
        )?;
        w.leaf(
            "PageAmount",
            o.page_amount.map(|n| n.to_string()).as_deref(),
        )?;
        w.leaf("Direction", o.direction.map(|b| b.to_string()).as_deref())?;
        if !o.appendixes.is_empty() {
            w.open("Appendixes")?;
            for a in &o.appendixes {
                w.leaf("Appendix", Some(a))?;
            }
            w.close("Appendixes")?;
        }
        w.close("OtherInfo")?;
    }
    for r in &h.response_for {
        response_for(w, r)?;
    }
    w.leaf("SteeringType", h.steering_type.as_deref())?;
    if !h.to_places.is_empty() {
        w.open("ToPlaces")?;
        for place in &h.to_places {
            w.leaf("Place", Some(place))?;
        }
        w.close("ToPlaces")?;
    }
    w.close("MessageHeader")?;
    if !p.traces.is_empty() || p.business.is_some() {
        // The 2025 SDK writes Bussiness before the trace headers.
        w.open("TraceHeaderList")?;
        if let Some(b) = &p.business {
            business(w, b)?;
        }
        for t in &p.traces {
            w.open("TraceHeader")?;
            w.leaf("OrganId", t.organ_id.as_deref())?;
            w.leaf("Timestamp", t.timestamp.as_deref())?;
            w.close("TraceHeader")?;
        }
        w.close("TraceHeaderList")?;
    }
    Ok(())
}

fn business<W: Write>(w: &mut Writer<W>, b: &Business) -> io::Result<()> {
    w.open("Bussiness")?;
    w.leaf("DocumentId", b.document_id.as_deref())?;
    w.leaf("BussinessDocType", Some(&b.kind.code().to_string()))?;
    w.leaf("BussinessDocReason", b.reason.as_deref())?;
    w.leaf("Paper", b.paper.as_deref())?;
    if let Some(s) = &b.staff {
        staff(w, s)?;
    }
    if let Some(u) = &b.update {
        w.open("BussinessDocumentInfo")?;
        w.leaf("DocumentInfo", u.document_info.as_deref())?;
        w.leaf("DocumentReceiver", u.document_receiver.as_deref())?;
        if !u.receivers.is_empty() {
            w.open("ReceiverList")?;
            for r in &u.receivers {
                w.open("Receiver")?;
                w.leaf("OrganId", r.organ_id.as_deref())?;
                w.leaf("ReceiverType", r.receiver_type.as_deref())?;
                w.close("Receiver")?;
            }
            w.close("ReceiverList")?;
        }
        w.close("BussinessDocumentInfo")?;
    }
    if !b.replaces.is_empty() {
        w.open("ReplacementInfoList")?;
        for r in &b.replaces {
            w.open("ReplacementInfo")?;
            w.leaf("DocumentId", r.document_id.as_deref())?;
            if !r.organ_ids.is_empty() {
                w.open("OrganIdList")?;
                for id in &r.organ_ids {
                    w.leaf("OrganId", Some(id))?;
                }
                w.close("OrganIdList")?;
            }
            w.close("ReplacementInfo")?;
        }
        w.close("ReplacementInfoList")?;
    }
    w.close("Bussiness")
}

fn status<W: Write>(w: &mut Writer<W>, s: &Status) -> io::Result<()> {
    w.open("MessageHeader")?;
    organ(w, "From", &s.from)?;
    response_for(w, &s.response_for)?;
    if let Some(st) = &s.staff {
        staff(w, st)?;
    }
    w.leaf("StatusCode", Some(&s.code.as_str()))?;
    w.leaf("Description", s.description.as_deref())?;
    w.leaf("Timestamp", s.timestamp.as_deref())?;
    w.close("MessageHeader")
}

fn organ<W: Write>(w: &mut Writer<W>, tag: &str, o: &Organ) -> io::Result<()> {
    w.open(tag)?;
    w.leaf("OrganId", o.organ_id.as_deref())?;
    w.leaf("OrganizationInCharge", o.organization_in_charge.as_deref())?;
    w.leaf("OrganName", o.organ_name.as_deref())?;
    w.leaf("OrganAdd", o.organ_add.as_deref())?;
    w.leaf("Email", o.email.as_deref())?;
    w.leaf("Telephone", o.telephone.as_deref())?;
    w.leaf("Fax", o.fax.as_deref())?;
    w.leaf("Website", o.website.as_deref())?;
    w.close(tag)
}

fn response_for<W: Write>(w: &mut Writer<W>, r: &ResponseFor) -> io::Result<()> {
    w.open("ResponseFor")?;
    w.leaf("OrganId", r.organ_id.as_deref())?;
    w.leaf("Code", r.code.as_deref())?;
    w.leaf("PromulgationDate", date(r.promulgation_date).as_deref())?;
    w.leaf("DocumentId", r.document_id.as_deref())?;
    w.close("ResponseFor")
}

fn staff<W: Write>(w: &mut Writer<W>, s: &Staff) -> io::Result<()> {
    w.open("StaffInfo")?;
    w.leaf("Department", s.department.as_deref())?;
    w.leaf("Staff", s.staff.as_deref())?;
    w.leaf("Email", s.email.as_deref())?;
    w.leaf("Mobile", s.mobile.as_deref())?;
    w.close("StaffInfo")
}

/// `yyyy/MM/dd`.
fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| format!("{:04}/{:02}/{:02}", d.year(), d.month(), d.day()))
}

struct Writer<W> {
    out: W,
    depth: usize,
    prefix: &'static str,
}

impl<W: Write> Writer<W> {
    fn raw(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(s.as_bytes())
    }

    fn indent(&mut self) -> io::Result<()> {
        for _ in 0..self.depth {
            self.out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open(&mut self, tag: &str) -> io::Result<()> {
        self.indent()?;
        writeln!(self.out, "<{}{tag}>", self.prefix)?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, tag: &str) -> io::Result<()> {
        self.depth -= 1;
        self.indent()?;
        writeln!(self.out, "</{}{tag}>", self.prefix)
    }

    /// `<tag>value</tag>`, nothing when there is no value.
    fn leaf(&mut self, tag: &str, value: Option<&str>) -> io::Result<()> {
        let Some(value) = value else { return Ok(()) };
        self.indent()?;
        write!(self.out, "<{}{tag}>", self.prefix)?;
        escape(value, &mut self.out)?;
        writeln!(self.out, "</{}{tag}>", self.prefix)
    }
}

/// Escapes text content. Characters XML 1.0 cannot carry at all (most C0 controls) are
/// replaced by U+FFFD rather than making the package unreadable.
fn escape<W: Write>(s: &str, out: &mut W) -> io::Result<()> {
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '\r' => "&#13;",
            '\t' | '\n' => continue,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
            _ => continue,
        };
        out.write_all(&s.as_bytes()[plain..i])?;
        out.write_all(replacement.as_bytes())?;
        plain = i + c.len_utf8();
    }
    out.write_all(&s.as_bytes()[plain..])
}
