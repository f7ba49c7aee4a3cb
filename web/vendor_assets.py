"""Vendored JavaScript/CSS: fetch from the npm registry, verify, and check what is on disk.

The map pages load Leaflet and its plugins from ``web/static/vendor/<package>@<version>/``,
served by the app, never from a CDN, so a page works on an intranet with no internet.
``web/static/vendor/MANIFEST.json`` names each package, its version, the registry tarball's
integrity (sha512, as npm reports it) and sha1, the licence, and every file taken from the
tarball with its sha256.

    python -m web.vendor_assets            # check the files on disk against the manifest (offline)
    python -m web.vendor_assets --fetch    # re-fetch with `npm pack`, verify, re-extract

``--fetch`` refuses a tarball whose integrity differs from the manifest (pass ``--update`` to
accept a deliberate version change and rewrite the manifest).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"
MANIFEST_PATH = VENDOR_DIR / "MANIFEST.json"

PACKAGES: dict[str, dict[str, Any]] = {
    "leaflet": {
        "version": "1.9.4",
        "licence": "BSD-2-Clause",
        "files": [
            "LICENSE",
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ],
    },
    "leaflet-draw": {
        "version": "1.0.4",
        "licence": "MIT (package.json; the tarball has no LICENSE file)",
        "files": [
            "package.json",
            "dist/leaflet.draw.js",
            "dist/leaflet.draw.css",
            "dist/images/spritesheet.png",
            "dist/images/spritesheet-2x.png",
            "dist/images/spritesheet.svg",
        ],
    },
    "leaflet.markercluster": {
        "version": "1.5.3",
        "licence": "MIT",
        "files": [
            "MIT-LICENCE.txt",
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
        ],
    },
    "leaflet.fullscreen": {
        "version": "3.0.2",
        "licence": "MIT",
        "files": [
            "LICENSE",
            "Control.FullScreen.js",
            "Control.FullScreen.css",
            "icon-fullscreen.svg",
        ],
    },
}
"""What to vendor: package, exact version, licence, and the files taken from the tarball."""


def vendor_path(package: str, file: str) -> str:
    """The URL path the app serves a vendored file at (``/static/vendor/...``)."""
    version = PACKAGES[package]["version"]
    return f"/static/vendor/{package}@{version}/{file}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def load_manifest() -> dict[str, Any]:
    """The manifest as a dict (``{"packages": [...]}``)."""
    manifest: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return manifest


def check() -> list[str]:
    """Compare the vendored files on disk with the manifest; return the problems found."""
    problems: list[str] = []
    if not MANIFEST_PATH.exists():
        return [f"{MANIFEST_PATH} is missing: run `python -m web.vendor_assets --fetch`"]
    for pkg in load_manifest()["packages"]:
        folder = VENDOR_DIR / f"{pkg['package']}@{pkg['version']}"
        for entry in pkg["files"]:
            path = folder / entry["path"]
            if not path.exists():
                problems.append(f"missing {path}")
            elif _sha256(path.read_bytes()) != entry["sha256"]:
                problems.append(f"changed {path} (sha256 differs from the manifest)")
    return problems


def fetch(update: bool = False) -> dict[str, Any]:
    """Fetch every package with ``npm pack``, verify it, extract its files, write the manifest.

    Parameters
    ----------
    update : bool
        Accept tarballs whose integrity is not the manifest's (a deliberate version change).
    """
    old = {p["package"]: p for p in load_manifest()["packages"]} if MANIFEST_PATH.exists() else {}
    packages: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in PACKAGES.items():
            version = spec["version"]
            out = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=True,
            )
            info = json.loads(out.stdout)[0]
            tarball = Path(tmp) / info["filename"]
            data = tarball.read_bytes()
            integrity = _integrity(data)
            if integrity != info["integrity"]:
                raise SystemExit(f"{name}@{version}: tarball does not match npm's integrity")
            known = old.get(name)
            changed = known and known["version"] == version and known["integrity"] != integrity
            if changed and not update:
                raise SystemExit(f"{name}@{version}: integrity differs from MANIFEST.json")
            folder = VENDOR_DIR / f"{name}@{version}"
            files = []
            with tarfile.open(tarball, "r:gz") as tar:
                for rel in spec["files"]:
                    member = tar.extractfile(f"package/{rel}")
                    if member is None:
                        raise SystemExit(f"{name}@{version}: {rel} not in the tarball")
                    content = member.read()
                    target = folder / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
                    files.append({"path": rel, "sha256": _sha256(content), "bytes": len(content)})
            packages.append(
                {
                    "package": name,
                    "version": version,
                    "tarball": f"https://registry.npmjs.org/{name}/-/{info['filename']}",
                    "integrity": integrity,
                    "shasum": hashlib.sha1(data).hexdigest(),  # npm's own shasum
                    "licence": spec["licence"],
                    "files": files,
                }
            )
    manifest = {
        "about": "Files vendored from the npm registry by web/vendor_assets.py; do not edit.",
        "packages": packages,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fetch", action="store_true", help="re-fetch from the npm registry")
    parser.add_argument("--update", action="store_true", help="accept a changed integrity")
    args = parser.parse_args(argv)
    if args.fetch:
        manifest = fetch(update=args.update)
        print(f"fetched {len(manifest['packages'])} packages into {VENDOR_DIR}")
    problems = check()
    for p in problems:
        print(p, file=sys.stderr)
    if not problems:
        print("vendored assets match MANIFEST.json")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
