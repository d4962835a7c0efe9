"""Shipment networks: a generator of synthetic bills of lading with planted
diversion schemes, the network, paths from makers of CHPL items to Russian or listed end
users, new intermediaries that concentrate CHPL volume, communities, pictures, and the
measurement of all that against the planted truth."""
