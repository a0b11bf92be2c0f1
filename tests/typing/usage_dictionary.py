"""Usage examples mypy checks (never executed): the dictionary, tags and UIDs."""

from dicomstd import Tag, TagPattern, dictionary, tags, uids
from dicomstd.dictionary import DataElement
from dicomstd.errors import UnknownElementError, UnknownUIDError
from dicomstd.uid import UID, UidInfo
from dicomstd.vm import VM
from dicomstd.vr import VR, VRSpec

name: Tag = tags.PatientName
group: int = tags.PatientName.group
as_int: int = tags.PixelData + 0
element: DataElement = dictionary.lookup(tags.PatientName)
by_keyword: DataElement = dictionary.lookup("PatientName")
by_text: DataElement = dictionary.lookup("(60xx,3000)")
maybe: DataElement | None = dictionary.get(0x60023000)
every: tuple[DataElement, ...] = dictionary.entries()
vrs: frozenset[VR] = element.vrs
single: VR | None = element.vr
vm: VM = element.vm
ok: bool = vm.accepts(2)
highest: int | None = vm.max
retired: bool = element.retired
source: str = element.source
tag_text: str = element.tag_text
pattern: TagPattern = element.pattern
ct: UID = uids.CTImageStorage
ct_name: str = uids.lookup(ct).name
info: UidInfo | None = uids.get("1.2.840.10008.1.2")
transfer: str = uids.ImplicitVRLittleEndian
pn: VR = VR.PN
limit: int | None = VR.PN.max_length
spec: VRSpec = VR.DA.spec
unit: str | None = VR.AE.length_unit
missing: type[KeyError] = UnknownElementError
missing_uid: type[KeyError] = UnknownUIDError
