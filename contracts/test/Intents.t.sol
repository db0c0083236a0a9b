// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {Medchain} from "../src/Medchain.sol";
import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../src/libraries/IntentTypes.sol";
import {Fixture} from "./utils/Fixture.sol";

contract IntentsTest is Fixture {
    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        deadline = block.timestamp + 1 hours;
    }

    function test_EveryPatientActionWorksBySignature() public {
        uint256 key = 0xF00D;
        address fresh = vm.addr(key);
        T.RegisterPatient memory reg = T.RegisterPatient(fresh, KEY, 0, deadline);
        medchain.registerPatientBySig(reg, sign(key, keccak256(abi.encode(T.REGISTER_PATIENT, reg))));
        (bool registered,,,,,,) = medchain.patients(fresh);
        assertTrue(registered, "registered by signature");

        T.RotatePatientKey memory rot = T.RotatePatientKey(fresh, bytes32(uint256(9)), 1, deadline);
        medchain.rotatePatientKeyBySig(rot, sign(key, keccak256(abi.encode(T.ROTATE_PATIENT_KEY, rot))));
        assertEq(medchain.patientKeys(fresh), bytes32(uint256(9)), "rotated by signature");

        T.SetEmergencyPolicy memory pol = T.SetEmergencyPolicy(fresh, true, 2 hours, 0, 2, deadline);
        medchain.setEmergencyPolicyBySig(pol, sign(key, keccak256(abi.encode(T.SET_EMERGENCY_POLICY, pol))));
        (, bool allowed,,,,,) = medchain.patients(fresh);
        assertTrue(allowed, "policy by signature");

        T.AddGuardian memory add = T.AddGuardian(fresh, guardian, 3, deadline);
        medchain.addGuardianBySig(add, sign(key, keccak256(abi.encode(T.ADD_GUARDIAN, add))));
        assertTrue(medchain.isGuardian(fresh, guardian), "guardian by signature");
        T.RemoveGuardian memory remove = T.RemoveGuardian(fresh, guardian, 4, deadline);
        medchain.removeGuardianBySig(remove, sign(key, keccak256(abi.encode(T.REMOVE_GUARDIAN, remove))));
        assertFalse(medchain.isGuardian(fresh, guardian), "guardian removed by signature");
        assertEq(medchain.nonces(fresh), 5, "five nonces used");
    }

    function test_SetDoctorKeyBySigNeedsTheDoctorsOwnSignature() public {
        bytes32 fresh = bytes32(uint256(0xd1d1));
        T.SetDoctorKey memory m = T.SetDoctorKey(doctor, fresh, medchain.nonces(stranger), deadline);
        bytes memory byAnother = sign(STRANGER_KEY, keccak256(abi.encode(T.SET_DOCTOR_KEY, m)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidSigner.selector, stranger));
        medchain.setDoctorKeyBySig(m, byAnother);
        m.nonce = medchain.nonces(doctor);
        medchain.setDoctorKeyBySig(m, sign(DOCTOR_KEY, keccak256(abi.encode(T.SET_DOCTOR_KEY, m))));
        (,, bytes32 key) = medchain.doctors(doctor);
        assertEq(key, fresh, "set by the doctor's signature");
    }

    function test_RegisterBySigNeedsThePatientsOwnSignature() public {
        T.RegisterPatient memory reg = T.RegisterPatient(stranger, KEY, 0, deadline);
        bytes memory signature = sign(PATIENT2_KEY, keccak256(abi.encode(T.REGISTER_PATIENT, reg)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidSigner.selector, patient2));
        medchain.registerPatientBySig(reg, signature);
    }

    function test_ConsentFlowBySignature() public {
        T.RequestAccess memory req = T.RequestAccess(patient, LAB | IMAGING, READ, 7 days, keccak256("why"), 0, deadline);
        uint256 id = medchain.requestAccessBySig(req, sign(DOCTOR_KEY, keccak256(abi.encode(T.REQUEST_ACCESS, req))));
        assertEq(medchain.requester(id), doctor, "request by signature");

        T.ApproveRequest memory approve = T.ApproveRequest(id, LAB, READ, 7 days, nonceOf(GUARDIAN_KEY), deadline);
        medchain.approveRequestBySig(approve, sign(GUARDIAN_KEY, keccak256(abi.encode(T.APPROVE_REQUEST, approve))));
        assertTrue(medchain.canRead(patient, doctor, 1), "approved by the guardian's signature");

        T.RevokeAccess memory revoke = T.RevokeAccess(patient, doctor, nonceOf(PATIENT_KEY), deadline);
        medchain.revokeAccessBySig(revoke, sign(PATIENT_KEY, keccak256(abi.encode(T.REVOKE_ACCESS, revoke))));
        assertFalse(medchain.canRead(patient, doctor, 1), "revoked by signature");

        T.RequestAccess memory req2 = T.RequestAccess(patient, LAB, READ, 1 days, bytes32(0), nonceOf(DOCTOR_KEY), deadline);
        uint256 id2 = medchain.requestAccessBySig(req2, sign(DOCTOR_KEY, keccak256(abi.encode(T.REQUEST_ACCESS, req2))));
        T.DenyRequest memory deny = T.DenyRequest(id2, nonceOf(PATIENT_KEY), deadline);
        medchain.denyRequestBySig(deny, sign(PATIENT_KEY, keccak256(abi.encode(T.DENY_REQUEST, deny))));
        (,,,, uint8 status) = medchain.requests(id2);
        assertEq(status, 3, "denied by signature");

        T.RequestAccess memory req3 = T.RequestAccess(patient, LAB, READ, 1 days, bytes32(0), nonceOf(DOCTOR_KEY), deadline);
        uint256 id3 = medchain.requestAccessBySig(req3, sign(DOCTOR_KEY, keccak256(abi.encode(T.REQUEST_ACCESS, req3))));
        T.CancelRequest memory cancel = T.CancelRequest(id3, nonceOf(DOCTOR_KEY), deadline);
        medchain.cancelRequestBySig(cancel, sign(DOCTOR_KEY, keccak256(abi.encode(T.CANCEL_REQUEST, cancel))));
        (,,,, status) = medchain.requests(id3);
        assertEq(status, 4, "cancelled by signature");
    }

    function test_EmergencyAndRecordsBySignature() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 1 hours, 0);
        T.OpenEmergencyAccess memory open = T.OpenEmergencyAccess(patient, 1 hours, 4, 0, deadline);
        medchain.openEmergencyAccessBySig(open, sign(DOCTOR_KEY, keccak256(abi.encode(T.OPEN_EMERGENCY_ACCESS, open))));
        assertTrue(medchain.canRead(patient, doctor, 10), "emergency by signature");
        T.EndEmergencyAccess memory end = T.EndEmergencyAccess(patient, doctor, 0, deadline);
        medchain.endEmergencyAccessBySig(end, sign(PATIENT_KEY, keccak256(abi.encode(T.END_EMERGENCY_ACCESS, end))));
        assertFalse(medchain.canRead(patient, doctor, 10), "ended by signature");

        bytes32 recordId = keccak256("record");
        T.AddRecord memory add = T.AddRecord(patient, recordId, keccak256("d1"), NODE, keccak256("c1"), 1, deadline);
        medchain.addRecordBySig(add, sign(PATIENT_KEY, keccak256(abi.encode(T.ADD_RECORD, add))));
        IMedchain.RecordVersion memory v1 = firstVersion(patient, patient, keccak256("d1"), keccak256("c1"));
        bytes32 head = medchain.recordHeads(recordId);
        T.UpdateRecord memory update = T.UpdateRecord(recordId, head, keccak256("d2"), NODE, keccak256("c2"), 2, deadline);
        medchain.updateRecordBySig(update, v1, sign(PATIENT_KEY, keccak256(abi.encode(T.UPDATE_RECORD, update))));
        assertTrue(medchain.recordHeads(recordId) != head, "updated by signature");

        T.UpdateRecord memory stale = T.UpdateRecord(recordId, head, keccak256("d3"), NODE, keccak256("c3"), 3, deadline);
        bytes memory staleSignature = sign(PATIENT_KEY, keccak256(abi.encode(T.UPDATE_RECORD, stale)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.StaleRecordVersion.selector, recordId));
        medchain.updateRecordBySig(stale, firstVersion(patient, patient, keccak256("dX"), keccak256("c1")), staleSignature);
    }

    function test_ASignatureIsAcceptedOnce() public {
        (T.GrantAccess memory m, bytes memory signature) = signedGrant(PATIENT_KEY, doctor, LAB, READ, uint64(START + 1 days));
        medchain.grantAccessBySig(m, signature);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, 1));
        medchain.grantAccessBySig(m, signature);
    }

    function test_ASignatureExpiresAtItsDeadline() public {
        (T.GrantAccess memory m, bytes memory signature) = signedGrant(PATIENT_KEY, doctor, LAB, READ, uint64(START + 1 days));
        vm.warp(m.deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.IntentExpired.selector, m.deadline));
        medchain.grantAccessBySig(m, signature);
    }

    function test_ASignatureIsBoundToChainAndContract() public {
        (T.GrantAccess memory m, bytes memory signature) = signedGrant(PATIENT_KEY, doctor, LAB, READ, uint64(START + 1 days));
        // Another deployment: same code, another address, so another domain.
        Medchain other = new Medchain();
        vm.expectRevert();
        other.grantAccessBySig(m, signature);
        // The same contract on another chain id.
        vm.chainId(999);
        vm.expectRevert();
        medchain.grantAccessBySig(m, signature);
        assertFalse(medchain.canRead(patient, doctor, 1), "nothing granted");
    }

    function test_SignaturesFromOthersOrMalformedAreRefused() public {
        (T.GrantAccess memory m,) = signedGrant(PATIENT_KEY, doctor, LAB, READ, uint64(START + 1 days));
        bytes memory bySomeoneElse = sign(STRANGER_KEY, keccak256(abi.encode(T.GRANT_ACCESS, m)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, stranger, patient));
        medchain.grantAccessBySig(m, bySomeoneElse);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, 3));
        medchain.grantAccessBySig(m, hex"010203");
    }

    function test_BatchRunsEachEntryOnItsOwn() public {
        (T.GrantAccess memory good,) = signedGrant(PATIENT_KEY, doctor, LAB, READ, uint64(START + 1 days));
        bytes memory goodSignature = sign(PATIENT_KEY, keccak256(abi.encode(T.GRANT_ACCESS, good)));
        T.GrantAccess memory bad = T.GrantAccess(patient, doctor2, LAB, READ, uint64(START + 1 days), 77, deadline);
        bytes memory badSignature = sign(PATIENT_KEY, keccak256(abi.encode(T.GRANT_ACCESS, bad)));
        bytes[] memory calls = new bytes[](4);
        calls[0] = abi.encodeCall(medchain.grantAccessBySig, (bad, badSignature));
        calls[1] = abi.encodeCall(medchain.grantAccessBySig, (good, goodSignature));
        calls[2] = abi.encodeCall(medchain.setRegistrar, (stranger, true));
        calls[3] = hex"01";
        bool[] memory ok = medchain.relayBatch(calls);
        assertFalse(ok[0], "wrong nonce fails");
        assertTrue(ok[1], "the good one stands");
        assertFalse(ok[2], "not a signed intent");
        assertFalse(ok[3], "too short");
        assertTrue(medchain.canRead(patient, doctor, 1), "granted");
        assertFalse(medchain.isRegistrar(stranger), "no privilege escalation through the batch");
    }
}
