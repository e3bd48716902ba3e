//! The element tree → a [`Message`]. Elements are found by local name in the edXML
//! namespace wherever the producer put them: real packages differ in prefixes (`edXML:` or the
//! default namespace), element order and which optional elements they carry. What the standard
//! requires and a package lacks is an error naming the element; what is merely odd is a warning.

use vn_calendar::Date;

use crate::tree::Element;
use crate::{
    Attachment, Business, BusinessKind, Code, DocumentType, Error, Header, Message, Organ,
    OtherInfo, Package, Receiver, Replacement, ResponseFor, Signer, Staff, Status, StatusCode,
    Trace, UpdateInfo, Warning,
};

pub(crate) fn message(root: &Element, warnings: &mut Vec<Warning>) -> Result<Message, Error> {
    let envelope = envelope(root)?;
    let header = envelope.child("edXMLHeader").ok_or(Error::Missing {
        element: "edXMLHeader",
        parent: "edXMLEnvelope",
    })?;
    let message_header = header.child("MessageHeader").ok_or(Error::Missing {
        element: "MessageHeader",
        parent: "edXMLHeader",
    })?;
    if header.children.iter().any(|c| c.name == "Signature") {
        warnings.push(Warning {
            code: "signature_not_verified",
            message: "gói có chữ ký số XML; nhiemvu không kiểm tra chữ ký này".to_owned(),
        });
    }
    if message_header.child("StatusCode").is_some() {
        return status(message_header, warnings).map(Message::Status);
    }
    let mut package = Package {
        header: package_header(message_header, warnings)?,
        ..Package::default()
    };
    if let Some(list) = header.child("TraceHeaderList") {
        package.traces = list
            .all("TraceHeader")
            .map(|t| Trace {
                organ_id: t.field("OrganId"),
                timestamp: t.field("Timestamp"),
            })
            .collect();
        // The standard spells it "Bussiness"; accept the dictionary spelling too.
        if let Some(b) = list.child("Bussiness").or_else(|| list.child("Business")) {
            package.business = Some(business(b, warnings)?);
        }
    }
    let encoded = root
        .all("AttachmentEncoded")
        .chain(envelope.all("AttachmentEncoded"));
    for list in encoded {
        for a in list.all("Attachment") {
            package.attachments.push(attachment(a)?);
        }
    }
    let manifest = envelope
        .child("edXMLBody")
        .and_then(|b| b.child("edXMLManifest"));
    for reference in manifest.iter().flat_map(|m| m.all("Reference")) {
        merge_manifest(reference, &mut package.attachments, warnings);
    }
    Ok(Message::Package(package))
}

/// `edXMLEnvelope`: the root itself, or the first child of an `edXML` root (the SDK's wrapper,
/// which also holds `AttachmentEncoded`).
fn envelope(root: &Element) -> Result<&Element, Error> {
    let not_edxml = || Error::NotEdxml {
        root: root.name.clone(),
        namespace: root.namespace.clone(),
    };
    // `ours` is the edXML namespace or none; a root in any other namespace is something else.
    if !root.ours {
        return Err(not_edxml());
    }
    match root.name.as_str() {
        "edXMLEnvelope" => Ok(root),
        "edXML" => root.child("edXMLEnvelope").ok_or(Error::Missing {
            element: "edXMLEnvelope",
            parent: "edXML",
        }),
        _ => Err(not_edxml()),
    }
}

fn package_header(h: &Element, warnings: &mut Vec<Warning>) -> Result<Header, Error> {
    let promulgation = h.child("PromulgationInfo");
    let promulgation_date = match promulgation.and_then(|p| p.field("PromulgationDate")) {
        Some(text) => Some(date(&text).ok_or(Error::BadValue {
            element: "PromulgationDate",
            value: text,
            expected: "ngày dạng yyyy/MM/dd",
        })?),
        None => None,
    };
    let document_type = h.child("DocumentType");
    let other = h.child("OtherInfo");
    Ok(Header {
        from: h.child("From").map(organ).unwrap_or_default(),
        to: h.all("To").map(organ).collect(),
        document_id: h.field("DocumentId"),
        code: h.child("Code").map_or_else(Code::default, |c| Code {
            number: c.field("CodeNumber"),
            notation: c.field("CodeNotation"),
        }),
        place: promulgation.and_then(|p| p.field("Place")),
        promulgation_date,
        document_type: document_type.map_or_else(DocumentType::default, |t| DocumentType {
            type_code: t.field("Type"),
            detail: t.field("TypeDetail"),
            name: t.field("TypeName"),
        }),
        subject: h.field("Subject"),
        content: h.field("Content"),
        signer: h
            .child("SignerInfo")
            .map_or_else(Signer::default, |s| Signer {
                competence: s.field("Competence"),
                position: s.field("Position"),
                full_name: s.field("FullName"),
            }),
        due_date: lenient_date(h, "DueDate", warnings),
        steering_type: h.field("SteeringType"),
        to_places: h
            .child("ToPlaces")
            .map(|p| p.fields("Place"))
            .unwrap_or_default(),
        other: other.map_or_else(OtherInfo::default, |o| OtherInfo {
            priority: number(o, "Priority", warnings),
            sphere_of_promulgation: o.field("SphereOfPromulgation"),
            typer_notation: o.field("TyperNotation"),
            promulgation_amount: number(o, "PromulgationAmount", warnings),
            page_amount: number(o, "PageAmount", warnings),
            direction: boolean(o, "Direction", warnings),
            appendixes: o
                .child("Appendixes")
                .map(|a| a.fields("Appendix"))
                .unwrap_or_default(),
        }),
        // Producers write an empty ResponseFor (or one with empty children) for "none".
        response_for: h
            .all("ResponseFor")
            .map(|r| response_for(r, warnings))
            .filter(|r| !r.is_empty())
            .collect(),
    })
}

fn organ(o: &Element) -> Organ {
    Organ {
        organ_id: o.field("OrganId"),
        organization_in_charge: o.field("OrganizationInCharge"),
        organ_name: o.field("OrganName"),
        organ_add: o.field("OrganAdd"),
        email: o.field("Email"),
        telephone: o.field("Telephone"),
        fax: o.field("Fax"),
        website: o.field("Website"),
    }
}

fn response_for(r: &Element, warnings: &mut Vec<Warning>) -> ResponseFor {
    ResponseFor {
        organ_id: r.field("OrganId"),
        code: r.field("Code"),
        promulgation_date: lenient_date(r, "PromulgationDate", warnings),
        document_id: r.field("DocumentId"),
    }
}

fn staff(s: &Element) -> Staff {
    Staff {
        department: s.field("Department"),
        staff: s.field("Staff"),
        email: s.field("Email"),
        mobile: s.field("Mobile"),
    }
}

fn business(b: &Element, warnings: &mut Vec<Warning>) -> Result<Business, Error> {
    let kind = match b
        .field("BussinessDocType")
        .or_else(|| b.field("BusinessDocType"))
    {
        Some(text) => text
            .parse::<u8>()
            .ok()
            .and_then(BusinessKind::from_code)
            .ok_or(Error::BadValue {
                element: "BussinessDocType",
                value: text,
                expected: "0 (văn bản mới), 1 (thu hồi), 2 (cập nhật) hoặc 3 (thay thế)",
            })?,
        None => {
            warnings.push(Warning {
                code: "business_type_missing",
                message: "gói có <Bussiness> nhưng thiếu <BussinessDocType>; coi là văn bản mới"
                    .to_owned(),
            });
            BusinessKind::New
        }
    };
    Ok(Business {
        kind,
        reason: b
            .field("BussinessDocReason")
            .or_else(|| b.field("BusinessDocReason")),
        document_id: b.field("DocumentId"),
        paper: b.field("Paper"),
        staff: b.child("StaffInfo").map(staff),
        update: b
            .child("BussinessDocumentInfo")
            .or_else(|| b.child("BusinessDocumentInfo"))
            .map(|u| UpdateInfo {
                document_info: u.field("DocumentInfo"),
                document_receiver: u.field("DocumentReceiver"),
                receivers: u
                    .child("ReceiverList")
                    .iter()
                    .flat_map(|l| l.all("Receiver"))
                    .map(|r| Receiver {
                        organ_id: r.field("OrganId"),
                        receiver_type: r.field("ReceiverType"),
                    })
                    .collect(),
            }),
        replaces: b
            .child("ReplacementInfoList")
            .iter()
            .flat_map(|l| l.all("ReplacementInfo"))
            .map(|r| Replacement {
                document_id: r.field("DocumentId"),
                organ_ids: r
                    .child("OrganIdList")
                    .map(|l| l.fields("OrganId"))
                    .unwrap_or_default(),
            })
            .collect(),
    })
}

fn attachment(a: &Element) -> Result<Attachment, Error> {
    let content = a.child("ContentTransferEncoded").ok_or(Error::Missing {
        element: "ContentTransferEncoded",
        parent: "Attachment",
    })?;
    Ok(Attachment {
        content_id: a.field("ContentId"),
        name: a.field("AttachmentName"),
        content_type: a.field("ContentType"),
        description: a.field("Description"),
        data: content.data.take().unwrap_or_default(),
    })
}

/// Fills what an attachment leaves out from its manifest entry (the SDK's older packages put
/// the description only there).
fn merge_manifest(
    reference: &Element,
    attachments: &mut [Attachment],
    warnings: &mut Vec<Warning>,
) {
    let id = reference.field("ContentId");
    let found = attachments
        .iter_mut()
        .find(|a| a.content_id.is_some() && a.content_id == id);
    match found {
        Some(a) => {
            if a.name.is_none() {
                a.name = reference.field("AttachmentName");
            }
            if a.content_type.is_none() {
                a.content_type = reference.field("ContentType");
            }
            if a.description.is_none() {
                a.description = reference.field("Description");
            }
        }
        None => warnings.push(Warning {
            code: "manifest_without_attachment",
            message: format!(
                "danh mục của gói liệt kê tệp {} ({}) nhưng gói không chứa tệp này",
                reference
                    .field("AttachmentName")
                    .as_deref()
                    .unwrap_or("không tên"),
                id.as_deref().unwrap_or("không có ContentId")
            ),
        }),
    }
}

fn status(h: &Element, warnings: &mut Vec<Warning>) -> Result<Status, Error> {
    let text = h.field("StatusCode").ok_or(Error::Missing {
        element: "StatusCode",
        parent: "MessageHeader",
    })?;
    let code = match text.parse::<u8>() {
        Ok(n) if text.len() <= 2 => {
            StatusCode::from_number(n).ok_or_else(|| Error::UnknownStatus(text.clone()))?
        }
        _ => {
            return Err(Error::BadValue {
                element: "StatusCode",
                value: text,
                expected: "mã trạng thái hai chữ số (01–06, 13, 15, 16)",
            });
        }
    };
    let response_for = h
        .all("ResponseFor")
        .map(|r| response_for(r, warnings))
        .find(|r| !r.is_empty())
        .ok_or(Error::Missing {
            element: "ResponseFor",
            parent: "MessageHeader",
        })?;
    Ok(Status {
        from: h.child("From").map(organ).unwrap_or_default(),
        response_for,
        staff: h.child("StaffInfo").map(staff),
        code,
        description: h.field("Description"),
        timestamp: h.field("Timestamp"),
    })
}

/// `yyyy/MM/dd`, as the standard writes dates.
fn date(text: &str) -> Option<Date> {
    let mut parts = text.split('/');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    Date::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// A date that is not essential: unreadable means a warning and `None`.
fn lenient_date(parent: &Element, name: &'static str, warnings: &mut Vec<Warning>) -> Option<Date> {
    let text = parent.field(name)?;
    let parsed = date(&text);
    if parsed.is_none() {
        warnings.push(Warning {
            code: "bad_date",
            message: format!("<{name}> \"{text}\" không phải ngày dạng yyyy/MM/dd; bỏ qua"),
        });
    }
    parsed
}

fn number<T: std::str::FromStr>(
    parent: &Element,
    name: &'static str,
    warnings: &mut Vec<Warning>,
) -> Option<T> {
    let text = parent.field(name)?;
    let parsed = text.parse().ok();
    if parsed.is_none() {
        warnings.push(Warning {
            code: "bad_number",
            message: format!("<{name}> \"{text}\" không phải số; bỏ qua"),
        });
    }
    parsed
}

fn boolean(parent: &Element, name: &'static str, warnings: &mut Vec<Warning>) -> Option<bool> {
    let text = parent.field(name)?;
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            warnings.push(Warning {
                code: "bad_boolean",
                message: format!("<{name}> \"{text}\" không phải true/false; bỏ qua"),
            });
            None
        }
    }
}
