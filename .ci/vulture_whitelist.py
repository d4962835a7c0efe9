"""Names vulture (``.ci/run``) cannot see being used: read by a framework, by serialisation
(``asdict``/``model_dump``), by a test or bench as a probe of the data, or written as
the record of a format. Add a name here only with the reason it is alive."""

# ruff: noqa
# mypy: ignore-errors

# Read by frameworks: pydantic configuration, Alembic revision headers, uvicorn factory.
model_config
branch_labels
depends_on
down_revision
downgrade
app_from_env  # "dualuse.cli.admin:app_from_env", a string for uvicorn --workers

# Fields of records that are serialised whole (dataclasses.asdict, model_dump, JSON
# writers): each is part of an answer or a report even where no Python code reads it.
accuses
adm0_a3
aggregated
arithmetic
certain_percentage
chow_f
critical_technology
descriptions
dropped_rows
empty_regions
excess_log_ratio
false_exonerations
false_violations
from_
hit_rate
homepage
interior
internal_non_commercial_use_only
median_area_km2
median_error_km
median_hours_to_close
multi_file
nearest_rtt_ms
outside_targets
paragraph_checked
paragraphs_met
part_850
paths_total
possible_percentage
post_mean_eur
post_median_eur
post_months_over_threshold
pre_mean_eur
pre_median_eur
proven_outside
self_pings
server
subgroup
true_violations
updated_at
_.compress_type  # zipfile.ZipInfo, read by ZipFile.writestr

# Members of enumerations and format constants: the vocabulary of a standard or of the
# data (order roles, end uses, evidence refusals, COSE headers, identifier titles).
BANK
BUYER
CIVIL
CONSIGNEE
END_USER
INTERMEDIATE_CONSIGNEE
MILITARY
MILITARY_INTELLIGENCE
PAYER
OVERSIZED
UNSUPPORTED_ALG
HDR_CONTENT_TYPE
TITLE

# Public entry points used by tests, bench/ or documented for users (docs/*.md).
MEMBERS  # bench/trade_scale.py
DEV_SEEDS  # tests/diversion/network
python_engine  # the four aggregate engines, compared by tests and bench/trade_scale.py
duckdb_engine
pandas_engine
spark_engine
real_spec
screen_dataframe  # docs/screening.md: the Spark entry point
screen_with_ownership  # docs/diversion.md
build_country_names  # rebuilds data/controls/ear_country_names.json
derive_runtime_geojson  # rebuilds data/geo (data/geo/SOURCES.md)
audit_landmarks  # tests/tracking: checks the landmark data
_.codes_at  # tests/tracking: checks the world data
_.of_kind  # tests/decisions: checks the packaged rules
_.reboot  # the simulator's device lifecycle (tests, bench/tracking_pictures.py)

# Fields of the API's response models (dualuse.views, api/routers): pydantic reads and
# writes them; the OpenAPI spec describes the answers with them.
additional_exports_eur
additional_imports_eur
additional_unrecorded_share
blocks_licence_exceptions
bound_doc
caveats
country_chart_row
country_groups
estimate_lat
estimate_lon
eu27_exports_eur
excepted_if_condition
gap_eur
gps_lat
gps_lon
head_seq
intact
item_text_available
last_verdict
lease_active
lease_expires_at
licence_exception_flags
license_requirements
media_type
partner_imports_from_eu27_eur
pre_range
received_at
region_km2_bounds
scope_conditions
unrecorded_share
weak_links
years_above_pre_range

# The deletion-key oracles: the index uses deletion_hashes_many; the tests check it
# against these one-word forms.
deletions
deletion_hashes
# A dataclass field set by keyword (screening/matching/linking.py) and read by tests.
_.facts_from
