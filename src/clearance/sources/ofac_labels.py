"""The labels OFAC publishes for identifiers and other facts, and what each one is (data only).

One table for every OFAC format: the remarks of the legacy CSV/PIP files
(:mod:`clearance.sources.ofac_remarks` finds ``LABEL value`` items by these labels), the
``idType`` of sdn.xml and the ``IDRegDocType`` / ``FeatureType`` names of the ADVANCED and
ENHANCED XML (:mod:`clearance.sources.ofac_label_rules` says where each kind of value goes).

* :data:`FEATURE_LABELS`: label -> ``website`` / ``email`` / ``phone`` or the canonical name of a
  feature (``Other Vessel Flag`` -> ``Vessel Flag``);
* :data:`ID_LABELS`: identifier label -> category (``passport``, ``tax``, ``imo`` ...), written
  ``LABEL number (country) issued DATE`` in remarks;
* :data:`STRUCTURED_LABELS`: labels only the XML formats use (their facts have elements of their
  own in the CSV), and the XML meaning of labels the remarks use differently.
"""

from __future__ import annotations

#: published label -> what it is (website/email/phone, or the canonical feature name)
FEATURE_LABELS: dict[str, str] = {
    **dict.fromkeys(("Website", "Website:"), "website"),
    **dict.fromkeys(("Email Address", "Email", "EMAIL", "Email:"), "email"),
    **dict.fromkeys(
        (
            "Phone Number",
            "Phone No.",
            "PHONE",
            "Telephone",
            "Telephone No.",
            "Telephone:",
            "Telephone Number:",
            "Alt. Telephone:",
            "Fax",
            "Fax No.",
            "Fax:",
            "FAX",
            "Alt. Fax:",
        ),
        "phone",
    ),
    **dict.fromkeys(("Vessel Call Sign", "Other Vessel Call Sign"), "Vessel Call Sign"),
    **dict.fromkeys(("Vessel Type", "Other Vessel Type"), "Vessel Type"),
    **dict.fromkeys(("Vessel Flag", "Other Vessel Flag"), "Vessel Flag"),
    "Former Vessel Flag": "Former Vessel Flag",
    "Vessel Year of Build": "Vessel Year of Build",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "Aircraft Construction Number",
    "Aircraft Manufacturer's Serial Number (MSN)": "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Serial Identification": "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Model": "Aircraft Model",
    "Aircraft Operator": "Aircraft Operator",
    "Aircraft Tail Number": "Aircraft Tail Number",
    "Previous Aircraft Tail Number": "Previous Aircraft Tail Number",
    "Aircraft Manufacture Date": "Aircraft Manufacture Date",
    "Aircraft Mode S Transponder Code": "Aircraft Mode S Transponder Code",
    **dict.fromkeys(
        ("Nationality of Registration", "Registration Country"), "Nationality of Registration"
    ),
    "Organization Established Date": "Organization Established Date",
    "Organization Type:": "Organization Type",
    "Target Type": "Target Type",
    "Equity Ticker": "Equity Ticker",
    "Issuer Name": "Issuer Name",
    "UN/LOCODE": "UN/LOCODE",
    "Chinese Commercial Code": "Chinese Commercial Code",
    "TELEX": "Telex",
    "TGMS": "TGMS",
    "Tribe:": "Tribe",
    "ethnicity": "Ethnicity",
}

ID_GROUPS: dict[str, tuple[str, ...]] = {
    "passport": (
        "Passport",
        "Passport No.:",
        "Passport Booklet",
        "Passport Booklet:",
        "Diplomatic Passport",
        "British National Overseas Passport",
        "Stateless Person Passport",
        "Travel Document Number",
    ),
    "national_id": (
        "National ID No.",
        "National ID No.:",
        "Cedula No.",
        "C.U.R.P.",
        "C.U.R.P. #",
        "D.N.I.",
        "Identification Number",
        "Kenyan ID No.",
        "Personal ID Card",
        "Turkish Identification Number",
        "Turkish Identificiation Number",
        "Citizen's Card Number",
        "Birth Certificate Number",
        "Residency Number",
        "National Foreign ID Number",
        "Numero de Identidad",
        "C.U.I.",
        "C.U.I.P.",
        "Credencial electoral",
        "Electoral Registry No.",
        "I.F.E.",
        "UAE Identification",
        "Tazkira National ID Card",
        "Refugee ID Card",
        "Stateless Person ID Card",
        "Bosnian Personal ID No.",
        "CNP (Personal Numerical Code)",
        "N.I.E.",
        "Moroccan Personal ID No.",
        "Military Registration Number",
        "VisaNumberID",
        "Cartilla de Servicio Militar Nacional",
        "Seafarer's Identification Document",
        "Public Security and Immigration No.",
        "Immigration No.",
        "Romanian Permanent Resident CAN",
        "Driver's License No.",
        "Pilot License Number",
        "Tarjeta Profesional",
        "SRE Permit No.",
        "Serial No.",
    ),
    "ssn": ("SSN",),
    "tax": (
        "Tax ID No.",
        "NIT #",
        "RFC",
        "R.F.C.",
        "R.F.C. #",
        "RUC #",
        "RIF #",
        "US FEIN",
        "C.U.I.T.",
        "C.I.F.",
        "N.I.F.",
        "Italian Fiscal Code",
        "Italian Fiscal Code:",
        "Fiscal Code",
        "Paraguayan tax identification number",
        "RTN",
        "Romanian Tax Registration",
        "RSIN",
        "Numero Unico de Identificacao Tributaria (NUIT)",
    ),
    "vat": ("V.A.T. Number",),
    "registration": (
        "Registration Number",
        "Registration ID",
        "Business Registration Number",
        "Business Registration Document #",
        "Company Number",
        "UK Company Number",
        "Commercial Registry Number",
        "C.R. No.",
        "Romanian C.R.",
        "Folio Mercantil No.",
        "Matricula Mercantil No",
        "Government Gazette Number",
        "Chamber of Commerce Number",
        "Istanbul Chamber of Comm. No.",
        "Dubai Chamber of Commerce Membership No.",
        "Economic Register Number (CBLS)",
        "Public Registration Number",
        "Central Registration System Number",
        "Enterprise Number",
        "Business Number",
        "Certificate of Incorporation Number",
        "LE Number",
        "Registered Charity No.",
        "Branch Unit Number",
        "Organization Code",
        "MSB Registration Number",
        "C.I.N.",
        "Registration Certificate Number (Dubai)",
        "Trademark number",
        "Company ID: No.",
        "Vessel Registration Identification",
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
        "File Number",
    ),
    "license": (
        "License",
        "Trade License No.",
        "Permit Number",
        "Tourism License No.",
        "Afghan Money Service Provider License Number",
    ),
    "uscc": ("Unified Social Credit Code (USCC)", "United Social Credit Code Certificate (USCCC)"),
    "lei": ("Legal Entity Number",),
    "duns": ("D-U-N-S Number",),
    "bik": ("BIK (RU)",),
    "swift": ("SWIFT/BIC",),
    "isin": ("ISIN", "Identification Number ISIN:"),
    "imo": (
        "Vessel Registration Identification IMO",
        "Identification Number IMO",
        "Company Number IMO",
        "International Maritime Organization No.",
        "IMO",
    ),
    "mmsi": ("MMSI",),
}
#: published identifier label -> category (passport, national_id, tax, registration, imo, ...)
ID_LABELS: dict[str, str] = {
    label: group for group, labels in ID_GROUPS.items() for label in labels
}


#: labels of the XML formats -> category or canonical feature; read before the tables above
STRUCTURED_LABELS: dict[str, str] = {
    "Birthdate": "birth_date",
    "Place of Birth": "birth_place",
    "Nationality Country": "nationality",
    "Citizenship Country": "citizenship",
    "Gender": "gender",
    "Title": "title",
    "Location": "note",
    "Scope": "note",
    "Vessel Owner": "note",
    "Vessel Tonnage": "Vessel Tonnage",
    "Vessel Gross Registered Tonnage": "Vessel Gross Registered Tonnage",
    # sdn.xml writes IMO numbers as "Vessel Registration Identification" / "IMO 9187629"
    "Vessel Registration Identification": "vessel_registration",
    # OFAC's "Government Gazette Number" of Russian entities is the OKPO code
    "Government Gazette Number": "okpo",
    "For more information, please see:": "url",
    "CURP #": "national_id",
    "CUIT": "tax",
    "Numero Unico de Identificacion Tributaria (NUIT)": "tax",
}


__all__ = ["FEATURE_LABELS", "ID_GROUPS", "ID_LABELS", "STRUCTURED_LABELS"]
