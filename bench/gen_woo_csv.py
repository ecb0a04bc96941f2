#!/usr/bin/env python3
"""bench/gen_woo_csv.py: a WooCommerce product CSV for the import bench
(issue 10): PRODUCTS variable products with 4 variations each (Size S,
M, L, XL; every other product also in two colours: 2 sizes x 2 colours),
in 3-level categories, HTML descriptions, sale prices, no images.

    python3 bench/gen_woo_csv.py OUT.csv [PRODUCTS]   (default 10,000)

Written as WooCommerce's exporter writes it: the variable row, then its
variation rows with Parent "id:N"."""
import csv
import sys

HEADER = ["ID", "Type", "SKU", "Name", "Published", "Is featured?",
          "Visibility in catalog", "Short description", "Description",
          "Date sale price starts", "Date sale price ends", "Tax status",
          "Tax class", "In stock?", "Stock", "Weight (kg)", "Sale price",
          "Regular price", "Categories", "Tags", "Images", "Parent",
          "Position", "Attribute 1 name", "Attribute 1 value(s)",
          "Attribute 1 visible", "Attribute 1 global",
          "Attribute 2 name", "Attribute 2 value(s)",
          "Attribute 2 visible", "Attribute 2 global"]
WORDS = ["alpine", "breeze", "cedar", "dune", "ember", "fjord", "glacier",
         "harbour", "island", "juniper", "kelp", "lagoon", "meadow"]


def rows(n):
    vid = n + 1
    for i in range(1, n + 1):
        w = WORDS[i % len(WORDS)]
        name = f"{w.title()} jacket {i}"
        cat = f"Clothing > Outer {i % 10} > Jackets {i % 100}"
        desc = (f"<p>A <strong>{w}</strong> jacket, number {i}.</p>"
                f"<ul><li>Warm</li><li>Light</li></ul>")
        row = dict.fromkeys(HEADER, "")
        row.update({"ID": i, "Type": "variable", "SKU": f"J{i}",
                    "Name": name, "Published": 1, "Is featured?": 0,
                    "Visibility in catalog": "visible",
                    "Description": desc, "Tax status": "taxable",
                    "In stock?": 1, "Categories": cat,
                    "Attribute 1 visible": 1, "Attribute 1 global": 1})
        if i % 2:
            combos = [(s, None) for s in ("S", "M", "L", "XL")]
            row.update({"Attribute 1 name": "Size",
                        "Attribute 1 value(s)": "S, M, L, XL"})
        else:
            combos = [(s, c) for s in ("M", "L") for c in ("Red", "Blue")]
            row.update({"Attribute 1 name": "Size",
                        "Attribute 1 value(s)": "M, L",
                        "Attribute 2 name": "Colour",
                        "Attribute 2 value(s)": "Red, Blue",
                        "Attribute 2 visible": 1, "Attribute 2 global": 1})
        yield row
        for k, (size, colour) in enumerate(combos):
            v = dict.fromkeys(HEADER, "")
            price = 40 + (i % 50) + k
            v.update({"ID": vid, "Type": "variation",
                      "SKU": f"J{i}-{size}" + (f"-{colour}" if colour
                                                else ""),
                      "Name": f"{name} - {size}", "Published": 1,
                      "Tax status": "taxable", "Tax class": "parent",
                      "In stock?": 1, "Stock": (i + k) % 20,
                      "Weight (kg)": "0.8", "Regular price": f"{price}.00",
                      "Sale price": f"{price - 5}.00" if i % 3 == 0
                      else "", "Parent": f"id:{i}", "Position": k + 1,
                      "Attribute 1 name": "Size",
                      "Attribute 1 value(s)": size,
                      "Attribute 1 global": 1})
            if colour:
                v.update({"Attribute 2 name": "Colour",
                          "Attribute 2 value(s)": colour,
                          "Attribute 2 global": 1})
            vid += 1
            yield v


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, HEADER, lineterminator="\r\n")
        w.writeheader()
        for r in rows(n):
            w.writerow(r)


if __name__ == "__main__":
    main()
