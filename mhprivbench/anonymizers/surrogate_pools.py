"""Value pools of the ``surrogate`` anonymizer: ordinary, made-up-looking values that replace detected identifiers.

Written for this module (not taken from any dataset or from synthmh's pools). Phone numbers use the fictional
555-01xx range, e-mail and web addresses the reserved example.com / example.org / example.net domains, IP
addresses the documentation range 192.0.2.0/24.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words("""
Avery Blake Cameron Dana Elliot Frances Gale Harley Imogen Jude Kendall Lane Marlowe Nico Oakley Peyton Reagan
Shay Tatum Umber Vaughn Wren Yael Zeph Ada Bram Cleo Dorian Esme Felix Greta Hollis Ines Jasper Kit Lorna Milo
Nell Otto Pia Rafe Saoirse Theo Una Vera Wilf Xavi Yara Zane Ansel Bryony Cyrus Delphine Emrys Flora Gideon Hester
""")
LAST_NAMES = _words("""
Abernathy Bellamy Calloway Dunmore Everly Fairbanks Galloway Hartigan Iverson Jessop Kettering Lockhart Marchetti
Northcott Oakes Pemberton Quayle Radcliffe Stanhope Trelawney Upton Vickery Wetherby Yardley Zeller Ashcombe
Brightwell Cresswell Drummond Eastwood Fenwick Garside Holbrook Ingleby Kingsbury Lovell Meriden Netherby Orme
""")
CITIES = tuple(c.replace("_", " ") for c in _words("""
Ashbourne Bexley Carrow Dunford Elmstead Fallbrook Glenrowan Hartwell Ivybridge Kestrel_Bay Larchmont Millbrook
Northwood Oakhurst Pinehaven Queensferry Redcliffe Stonehaven Thornbury Upwell Valemount Westerly Yarrow_Point
"""))
ORGANIZATIONS = tuple(o.replace("_", " ") for o in _words("""
Brightwater_Logistics Kestrel_Health_Partners Harbourside_Books Meridian_Insurance Northgate_Foods
Larkfield_Academy Pinecrest_Dental Silverline_Software Thornbury_Community_Clinic Oakhurst_College
Redcliffe_Veterinary Westerly_Print_Works Millbrook_Care_Home Stonehaven_Bank Ashbourne_Fitness
"""))
STREETS = _words("Alder Beech Copse Dovecote Fernhill Gorse Heather Juniper Kiln Linden Mulberry Nettle Osier "
                "Primrose Quince Rowan Sorrel Teasel Vetch Yew")
STREET_SUFFIXES = ("Street", "Road", "Lane", "Close", "Avenue", "Way")
HANDLE_WORDS = _words("amber birch cinder dune ember fable glimmer harbor indigo jetty kelp lumen marsh nimbus "
                     "onyx pebble quill rune sable thistle")
NRP = ("Canadian", "Irish", "Portuguese", "Chilean", "Danish", "Kenyan", "Filipino", "Scottish")
OCCUPATIONS = ("librarian", "bus driver", "florist", "carpenter", "lab technician", "copy editor", "postal worker")
GENDERS = ("woman", "man", "non-binary")
RELATIVE_DATES = ("last spring", "a while back", "earlier this year", "the week before", "last autumn")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
