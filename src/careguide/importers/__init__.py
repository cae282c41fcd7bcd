"""Importers: public data sets turned into knowledge packs in CareGuide's own format."""

from careguide.importers.ddxplus import DDXPatient, DDXPlus, build_pack, load_ddxplus, patient_answers, write_pack

__all__ = ["DDXPatient", "DDXPlus", "build_pack", "load_ddxplus", "patient_answers", "write_pack"]
