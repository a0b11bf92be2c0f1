"""Usage examples mypy checks (never executed): the dictionary, tags and UIDs."""

from dicomstd import Tag, dictionary, tags, uids
from dicomstd.dictionary import DataElement
from dicomstd.uid import UID
from dicomstd.vm import VM
from dicomstd.vr import VR

name: Tag = tags.PatientName
group: int = tags.PatientName.group
element: DataElement = dictionary.lookup(tags.PatientName)
vrs: frozenset[VR] = element.vrs
vm: VM = element.vm
ok: bool = vm.accepts(2)
ct: UID = uids.CTImageStorage
ct_name: str = uids.lookup(ct).name
pn: VR = VR.PN
limit: int | None = VR.PN.max_length
