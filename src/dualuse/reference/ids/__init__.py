"""Identifiers as small classes that normalise and validate (in the manner of rigour.ids):
ECCNs, HS codes and licence numbers for controls; IMO, LEI and others for screening.
Each module holds one identifier kind."""
