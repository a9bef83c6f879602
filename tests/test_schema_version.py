"""runs.schema_version bumps with every column change: each version's schemas
have one fingerprint, and a change to any schema without a bump fails here."""
from pipeline.schema import SCHEMA_VERSION
from pipeline.storage.store import schema_fingerprint

FINGERPRINTS = {2: "b13b59dcef9b2226", 3: "0ee514c1507cfdd5", 4: "ab2b0cdc387a739c", 5: "7e66123d249689a0",
                6: "029a857e8dc61d50"}


def test_schema_version_matches_the_schemas():
    assert FINGERPRINTS.get(SCHEMA_VERSION) == schema_fingerprint(), (
        f"the schemas changed: bump SCHEMA_VERSION in pipeline/schema.py and add "
        f"{{{SCHEMA_VERSION + 1}: '{schema_fingerprint()}'}} to FINGERPRINTS")
