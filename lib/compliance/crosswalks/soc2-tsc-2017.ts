import { CROSSWALK_REFERENCES, type Crosswalk } from "./types";

// SOC 2: the common criteria about access, system operations and change (CC6-CC8) of the 2017 Trust Services
// Criteria (revised points of focus, 2022), crosswalked to NIST CSF 2.0. Ids and short titles only: the criteria's
// text is © AICPA and not reproduced here.
export const SOC2_TSC_2017: Crosswalk = {
  slug: "soc2-tsc-2017",
  name: "SOC 2: 2017 Trust Services Criteria (CC6-CC8)",
  shortName: "SOC 2 CC6-CC8",
  framework:
    "AICPA 2017 Trust Services Criteria for Security, Availability, Processing Integrity, Confidentiality, and Privacy (revised points of focus, 2022), common criteria CC6-CC8",
  source: `Crosswalk CSF 2.0 -> TSC written for Sessionproof from the relationships published in ${CROSSWALK_REFERENCES}. It is not an official NIST or AICPA mapping: review it before relying on it.`,
  license:
    "Criterion ids with short titles of our own wording; the Trust Services Criteria text is © AICPA (licensed) and is not reproduced.",
  levels: ["Criteria series", "Criteria series", "Criterion"],
  groups: [
    {
      id: "CC6",
      title: "Logical and physical access controls",
      controls: [
        {
          id: "CC6.1",
          title: "Logical access security over protected information assets",
          csf: ["PR.AA-01", "PR.AA-03", "PR.AA-05", "PR.DS-01", "PR.PS-01"],
        },
        { id: "CC6.2", title: "Registration and authorization of users before access is granted", csf: ["PR.AA-01", "PR.AA-02"] },
        { id: "CC6.3", title: "Access granted, changed and removed by role, least privilege and segregation of duties", csf: ["PR.AA-05"] },
        { id: "CC6.4", title: "Physical access to facilities and assets restricted", csf: ["PR.AA-06"] },
        { id: "CC6.5", title: "Protection ended only when assets are disposed of", csf: ["ID.AM-08", "PR.DS-01"] },
        { id: "CC6.6", title: "Protection against threats from outside the system boundaries", csf: ["PR.AA-03", "PR.IR-01", "DE.CM-01"] },
        { id: "CC6.7", title: "Transmission, movement and removal of information restricted", csf: ["PR.DS-01", "PR.DS-02"] },
        { id: "CC6.8", title: "Unauthorized or malicious software prevented or detected", csf: ["PR.PS-02", "PR.PS-05", "DE.CM-09"] },
      ],
    },
    {
      id: "CC7",
      title: "System operations",
      controls: [
        {
          id: "CC7.1",
          title: "Configuration changes and new vulnerabilities detected and monitored",
          csf: ["ID.RA-01", "PR.PS-01", "DE.CM-09"],
        },
        {
          id: "CC7.2",
          title: "System components monitored for anomalies",
          csf: ["PR.PS-04", "DE.CM-01", "DE.CM-03", "DE.CM-06", "DE.CM-09"],
        },
        {
          id: "CC7.3",
          title: "Security events evaluated to decide whether they are incidents",
          csf: ["DE.AE-02", "DE.AE-03", "DE.AE-04", "DE.AE-06"],
        },
        {
          id: "CC7.4",
          title: "Security incidents responded to",
          csf: ["RS.MA-01", "RS.MA-02", "RS.AN-03", "RS.AN-06", "RS.AN-07", "RS.MI-01", "RS.MI-02"],
        },
        { id: "CC7.5", title: "Recovery from security incidents", csf: ["RC.RP-01", "RC.RP-03", "RC.CO-03"] },
      ],
    },
    {
      id: "CC8",
      title: "Change management",
      controls: [
        { id: "CC8.1", title: "Changes authorized, designed, tested, approved and implemented", csf: ["ID.RA-07", "PR.PS-01", "PR.AA-05"] },
      ],
    },
  ],
};
