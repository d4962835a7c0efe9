"""The fixed vocabulary of the synthetic world: countries by role, ports, goods, names.

Everything here is invented scaffolding for synthetic records (see ``generate.py``); the
HS codes are real HS 2022 subheadings (checked against the package's nomenclature) and the
CHPL codes come from the BIS list of 23 Feb 2024. Port codes are UN/LOCODE-shaped codes
of real ports and airports of each country, not checked against the UN/LOCODE register.
"""

from __future__ import annotations

MAKER_COUNTRIES = ("us", "de", "jp", "kr", "tw", "nl", "fr", "gb", "ch", "it")
DISTRIBUTOR_COUNTRIES = (
    "us", "de", "nl", "gb", "sg", "hk", "cn", "jp", "kr", "tw", "ae", "tr", "in", "pl", "fi",
    "ee",
)  # fmt: skip
CUSTOMER_COUNTRIES = (
    "de", "fr", "it", "es", "pl", "us", "ca", "mx", "br", "in", "cn", "kz", "tr", "ae", "sg",
    "jp", "kr", "vn", "th", "my", "za", "eg", "am", "ge", "uz", "kg", "rs",
)  # fmt: skip
HUB_COUNTRIES = ("am", "kg", "kz", "ae", "tr", "hk", "uz", "ge", "cn", "rs")
END_USER_COUNTRIES = ("ru", "ru", "ru", "ru", "ru", "ru", "by")
"""Russia six times in seven, Belarus once."""
TARGET_COUNTRIES = frozenset({"ru", "by"})

PORTS = {
    "us": ("USLAX", "USNYC"), "de": ("DEHAM", "DEBRV"), "jp": ("JPTYO", "JPYOK"),
    "kr": ("KRPUS", "KRICN"), "tw": ("TWKHH", "TWTPE"), "nl": ("NLRTM", "NLAMS"),
    "fr": ("FRLEH", "FRCDG"), "gb": ("GBFXT", "GBLHR"), "ch": ("CHBSL", "CHZRH"),
    "it": ("ITGOA", "ITMIL"), "sg": ("SGSIN",), "hk": ("HKHKG",), "cn": ("CNSHA", "CNSZX"),
    "ae": ("AEJEA", "AEDXB"), "tr": ("TRIST", "TRMER"), "in": ("INNSA", "INMAA"),
    "pl": ("PLGDN",), "fi": ("FIHEL",), "ee": ("EETLL",), "es": ("ESVLC",), "ca": ("CAVAN",),
    "mx": ("MXMEX",), "br": ("BRSSZ",), "kz": ("KZALA",), "kg": ("KGFRU",), "am": ("AMEVN",),
    "uz": ("UZTAS",), "ge": ("GEPTI",), "rs": ("RSBEG",), "ru": ("RULED", "RUMOW", "RUVVO"),
    "by": ("BYMSQ",), "vn": ("VNSGN",), "th": ("THLCH",), "my": ("MYPKG",), "za": ("ZADUR",),
    "eg": ("EGALY",),
}  # fmt: skip

CHPL_LINES = {
    "electronics": ("854231", "854232", "854233", "854239", "851762", "852691", "853221",
                    "853224", "854800", "854110", "854129", "853690", "850440"),
    "machine_tools": ("845710", "845811", "845891", "845961", "846693", "848210", "848220"),
    "instruments": ("901310", "901380", "901420", "901480", "903020", "903032", "903082"),
}  # fmt: skip
"""What a maker of each line ships: CHPL HS-6 codes (Tiers 1 to 4.B)."""
OTHER_GOODS = {
    "electronics": ("847130", "847330", "851830", "852872"),
    "machine_tools": ("842139", "841810", "732690"),
    "instruments": ("902610", "902789"),
}
"""Non-CHPL codes the same makers also ship."""
CONSUMER_GOODS = (
    "090240", "040210", "300490", "610910", "392690", "940360", "870899", "950300", "220421",
    "030617", "401110", "640399", "330499", "481910", "721049",
)  # fmt: skip
"""Goods of ordinary trade (food, medicine, clothing, plastics, furniture, car parts...)."""

WORDS = (
    "Aster", "Boreal", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Ion",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Polar", "Quartz", "Radian",
    "Sable", "Tundra", "Umber", "Vertex", "Willow", "Xenon", "Yarrow", "Zenith", "Arden",
    "Caspian", "Dune", "Altai", "Silk", "Ural", "Pamir", "Ararat", "Volga", "Tien",
)  # fmt: skip
KINDS = {
    "maker": ("Semiconductor", "Microsystems", "Machine Works", "Instruments", "Devices"),
    "distributor": ("Electronics Distribution", "Components", "Industrial Supply"),
    "customer": ("Manufacturing", "Automotive", "Telecom", "Engineering", "Retail", "Foods"),
    "russian": ("Engineering", "Research Institute", "Plant", "Systems", "Instrument Design"),
    "forwarder": ("Logistics", "Freight", "Shipping"),
    "hub": ("Trading", "Import-Export", "General Trading", "Commerce", "Tech"),
    "cover": ("Foods", "Pharma", "Textiles", "Agro"),
}
LEGAL_FORMS = {
    "us": "Inc.", "de": "GmbH", "jp": "K.K.", "kr": "Co., Ltd.", "tw": "Co., Ltd.",
    "nl": "B.V.", "fr": "SAS", "gb": "Ltd", "ch": "AG", "it": "S.r.l.", "sg": "Pte. Ltd.",
    "hk": "Limited", "cn": "Co., Ltd.", "ae": "FZE", "tr": "Ltd. Şti.", "in": "Pvt. Ltd.",
    "pl": "Sp. z o.o.", "fi": "Oy", "ee": "OÜ", "es": "S.L.", "ca": "Inc.", "mx": "S.A. de C.V.",
    "br": "Ltda.", "kz": "TOO", "kg": "OsOO", "am": "LLC", "uz": "MChJ", "ge": "LLC",
    "rs": "d.o.o.", "ru": "OOO", "by": "OOO", "vn": "JSC", "th": "Co., Ltd.",
    "my": "Sdn. Bhd.", "za": "(Pty) Ltd", "eg": "S.A.E.",
}  # fmt: skip
