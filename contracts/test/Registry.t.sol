// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../src/libraries/IntentTypes.sol";
import {Fixture} from "./utils/Fixture.sol";

contract RegistryTest is Fixture {
    function test_AdminAppointsAndRemovesRegistrars() public {
        medchain.setRegistrar(stranger, true);
        assertTrue(medchain.isRegistrar(stranger), "appointed");
        medchain.setRegistrar(stranger, false);
        assertFalse(medchain.isRegistrar(stranger), "removed");
        assertEq(medchain.admin(), address(this), "deployer is admin");
    }

    function test_OnlyAdminSetsRegistrars() public {
        vm.prank(registrar);
        vm.expectRevert(IMedchain.NotAdmin.selector);
        medchain.setRegistrar(stranger, true);
    }

    function test_RegistrarVerifiesSuspendsAndReinstatesDoctors() public {
        vm.startPrank(registrar);
        medchain.verifyDoctor(stranger, keccak256("license"), bytes32(uint256(7)));
        (uint8 status, bytes32 licenseHash, bytes32 key) = medchain.doctors(stranger);
        assertEq(status, 1, "verified");
        assertEq(licenseHash, keccak256("license"), "license hash");
        assertEq(key, bytes32(uint256(7)), "key");
        medchain.suspendDoctor(stranger);
        (status,,) = medchain.doctors(stranger);
        assertEq(status, 2, "suspended");
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotVerifiedDoctor.selector, stranger));
        medchain.verifyDoctor(stranger, keccak256("license"), bytes32(uint256(7)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotVerifiedDoctor.selector, stranger));
        medchain.suspendDoctor(stranger);
        medchain.reinstateDoctor(stranger);
        (status,,) = medchain.doctors(stranger);
        assertEq(status, 1, "reinstated");
        vm.expectRevert(abi.encodeWithSelector(IMedchain.DoctorNotFound.selector, stranger));
        medchain.reinstateDoctor(stranger);
        vm.expectRevert(IMedchain.InvalidKey.selector);
        medchain.verifyDoctor(stranger, keccak256("license"), bytes32(0));
        vm.stopPrank();
    }

    function test_OnlyRegistrarsManageDoctorsAndNodes() public {
        vm.startPrank(stranger);
        vm.expectRevert(IMedchain.NotRegistrar.selector);
        medchain.verifyDoctor(stranger, bytes32(0), KEY);
        vm.expectRevert(IMedchain.NotRegistrar.selector);
        medchain.suspendDoctor(doctor);
        vm.expectRevert(IMedchain.NotRegistrar.selector);
        medchain.reinstateDoctor(doctor);
        vm.expectRevert(IMedchain.NotRegistrar.selector);
        medchain.registerStorageNode(NODE, stranger, "http://evil");
        vm.stopPrank();
    }

    function test_StorageNodeRegistrationRejectsEmptyIds() public {
        vm.startPrank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.UnknownStorageNode.selector, bytes32(0)));
        medchain.registerStorageNode(bytes32(0), nodeOperator, "x");
        vm.expectRevert(abi.encodeWithSelector(IMedchain.UnknownStorageNode.selector, NODE));
        medchain.registerStorageNode(NODE, address(0), "x");
        vm.stopPrank();
    }

    function test_AuditAnchorsAreContiguousPerNode() public {
        vm.startPrank(nodeOperator);
        medchain.anchorAudit(NODE, 0, 9, keccak256("root-1"));
        medchain.anchorAudit(NODE, 10, 10, keccak256("root-2"));
        assertEq(medchain.auditRoots(NODE, 9), keccak256("root-1"), "first root");
        assertEq(medchain.auditRoots(NODE, 10), keccak256("root-2"), "second root");
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NonContiguousAnchor.selector, uint64(11), uint64(12)));
        medchain.anchorAudit(NODE, 12, 20, keccak256("gap"));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NonContiguousAnchor.selector, uint64(11), uint64(5)));
        medchain.anchorAudit(NODE, 5, 20, keccak256("overlap"));
        vm.expectRevert(IMedchain.InvalidAnchorRange.selector);
        medchain.anchorAudit(NODE, 11, 10, keccak256("backwards"));
        vm.expectRevert(IMedchain.InvalidAnchorRange.selector);
        medchain.anchorAudit(NODE, 11, 12, bytes32(0));
        vm.stopPrank();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotStorageNodeOperator.selector, NODE));
        medchain.anchorAudit(NODE, 11, 12, keccak256("root"));
    }

    function test_PatientsRegisterOnceWithAKey() public {
        vm.startPrank(stranger);
        vm.expectRevert(IMedchain.InvalidKey.selector);
        medchain.registerPatient(bytes32(0));
        medchain.registerPatient(KEY);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.AlreadyRegistered.selector, stranger));
        medchain.registerPatient(KEY);
        vm.stopPrank();
        (bool registered,,,,,,) = medchain.patients(stranger);
        assertTrue(registered, "registered");
        assertEq(medchain.patientKeys(stranger), KEY, "key stored");
    }

    function test_OnlyThePatientRotatesTheKey() public {
        vm.prank(patient);
        medchain.rotatePatientKey(patient, bytes32(uint256(2)));
        assertEq(medchain.patientKeys(patient), bytes32(uint256(2)), "rotated");
        // A guardian may manage consent, but a key the guardian chose would let them read every
        // record sealed afterwards.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, guardian, patient));
        medchain.rotatePatientKey(patient, bytes32(uint256(3)));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, doctor, patient));
        medchain.rotatePatientKey(patient, bytes32(uint256(4)));
        assertEq(medchain.patientKeys(patient), bytes32(uint256(2)), "unchanged by others");
        vm.prank(patient);
        vm.expectRevert(IMedchain.InvalidKey.selector);
        medchain.rotatePatientKey(patient, bytes32(0));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.rotatePatientKey(stranger, KEY);
    }

    function test_AGuardianCannotRotateThePatientsKey() public {
        // A guardian manages consent, but a key the guardian chose would open every record sealed
        // to the patient afterwards: neither directly nor by signature.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, guardian, patient));
        medchain.rotatePatientKey(patient, bytes32(uint256(0x6a)));
        T.RotatePatientKey memory m =
            T.RotatePatientKey(patient, bytes32(uint256(0x6a)), medchain.nonces(guardian), block.timestamp + 1 hours);
        bytes memory signature = sign(GUARDIAN_KEY, keccak256(abi.encode(T.ROTATE_PATIENT_KEY, m)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, guardian, patient));
        medchain.rotatePatientKeyBySig(m, signature);
        assertEq(medchain.patientKeys(patient), KEY, "the patient's key is unchanged");
    }

    function test_ARegistrarCannotVerifyItself() public {
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.SelfVerification.selector, registrar));
        medchain.verifyDoctor(registrar, keccak256("license"), KEY);
        (uint8 status,,) = medchain.doctors(registrar);
        assertEq(status, 0, "not a doctor");
    }

    function test_ARegistrarCannotChangeAVerifiedDoctorsKey() public {
        (, bytes32 licenseBefore, bytes32 keyBefore) = medchain.doctors(doctor);
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.DoctorKeyChangeNeedsDoctor.selector, doctor));
        medchain.verifyDoctor(doctor, licenseBefore, bytes32(uint256(0xbad)));
        (,, bytes32 keyAfter) = medchain.doctors(doctor);
        assertEq(keyAfter, keyBefore, "key unchanged");
        // The license may still be updated, with the same key.
        vm.prank(registrar);
        medchain.verifyDoctor(doctor, keccak256("renewed license"), keyBefore);
        (, bytes32 licenseAfter,) = medchain.doctors(doctor);
        assertEq(licenseAfter, keccak256("renewed license"), "license renewed");
    }

    function test_ADoctorRotatesTheirOwnKey() public {
        bytes32 fresh = bytes32(uint256(0xd1d1));
        vm.expectEmit(true, false, false, true);
        emit IMedchain.DoctorKeyRotated(doctor, fresh);
        vm.prank(doctor);
        medchain.setDoctorKey(fresh);
        (uint8 status, bytes32 license, bytes32 key) = medchain.doctors(doctor);
        assertEq(key, fresh, "the doctor's new key");
        assertEq(status, 1, "still verified");
        assertEq(license, keccak256("license-1"), "license unchanged");
        // The registrar still cannot change it, neither back nor to a key of its own choosing.
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.DoctorKeyChangeNeedsDoctor.selector, doctor));
        medchain.verifyDoctor(doctor, license, bytes32(uint256(0xd1)));
        vm.prank(registrar);
        medchain.verifyDoctor(doctor, keccak256("renewed"), fresh); // a license renewal keeps the key
        // Only a doctor has a key to change, and never to zero; a suspended doctor may change it.
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.DoctorNotFound.selector, stranger));
        medchain.setDoctorKey(fresh);
        vm.prank(doctor);
        vm.expectRevert(IMedchain.InvalidKey.selector);
        medchain.setDoctorKey(bytes32(0));
        vm.prank(registrar);
        medchain.suspendDoctor(doctor2);
        vm.prank(doctor2);
        medchain.setDoctorKey(fresh);
        (,, key) = medchain.doctors(doctor2);
        assertEq(key, fresh, "a suspended doctor replaces an exposed key");
    }

    function test_ARegistrarCannotRepointARegisteredStorageNode() public {
        (address operatorBefore,) = medchain.storageNodes(NODE);
        assertTrue(operatorBefore != address(0), "the fixture's node is registered");
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.StorageNodeExists.selector, NODE));
        medchain.registerStorageNode(NODE, stranger, "http://evil");
        vm.prank(registrar);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.StorageNodeExists.selector, NODE));
        medchain.registerStorageNode(NODE, operatorBefore, "http://elsewhere");
        (address operatorAfter,) = medchain.storageNodes(NODE);
        assertEq(operatorAfter, operatorBefore, "still its operator's");
    }

    function test_EmergencyPolicyIsBoundedBy72Hours() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 72 hours, 0);
        (, bool allowed, uint32 maxWindow,,,,) = medchain.patients(patient);
        assertTrue(allowed, "allowed");
        assertEq(maxWindow, 72 hours, "window");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidDuration.selector, uint32(72 hours + 1)));
        medchain.setEmergencyPolicy(patient, true, 72 hours + 1, 0);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidDuration.selector, uint32(0)));
        medchain.setEmergencyPolicy(patient, true, 0, 0);
        vm.prank(guardian);
        medchain.setEmergencyPolicy(patient, false, 0, 0);
        (, allowed,,,,,) = medchain.patients(patient);
        assertFalse(allowed, "disallowed by guardian");
    }

    function test_OnlyThePatientManagesGuardians() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, guardian, patient));
        medchain.addGuardian(patient, stranger);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, patient, patient));
        medchain.addGuardian(patient, patient);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.addGuardian(stranger, guardian);
        vm.prank(patient);
        medchain.removeGuardian(patient, guardian);
        assertFalse(medchain.isGuardian(patient, guardian), "removed");
    }

    function test_ThePatientSetsAndClearsTheEscrowPolicy() public {
        bytes32 policy = keccak256("policy document");
        vm.expectEmit(true, false, false, true);
        emit IMedchain.EscrowPolicySet(patient, policy);
        vm.prank(patient);
        medchain.setEscrowPolicy(policy);
        assertEq(medchain.escrowPolicies(patient), policy, "set");
        vm.prank(patient);
        medchain.setEscrowPolicy(bytes32(0));
        assertEq(medchain.escrowPolicies(patient), bytes32(0), "cleared");
    }

    function test_OnlyARegisteredPatientSetsAnEscrowPolicy() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.setEscrowPolicy(keccak256("policy"));
        // A guardian acts for the patient elsewhere, but sets only a policy of their own.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, guardian));
        medchain.setEscrowPolicy(keccak256("policy"));
        assertEq(medchain.escrowPolicies(patient), bytes32(0), "the patient's is untouched");
    }

    function test_AnyAccountSetsItsOwnCustodianKey() public {
        vm.expectEmit(true, false, false, true);
        emit IMedchain.CustodianKeySet(nodeOperator, bytes32(uint256(9)));
        vm.prank(nodeOperator);
        medchain.setCustodianKey(bytes32(uint256(9)));
        assertEq(medchain.custodianKeys(nodeOperator), bytes32(uint256(9)), "set");
        vm.prank(nodeOperator);
        medchain.setCustodianKey(bytes32(uint256(10)));
        assertEq(medchain.custodianKeys(nodeOperator), bytes32(uint256(10)), "replaced");
    }

    function test_AZeroCustodianKeyIsRefused() public {
        vm.prank(nodeOperator);
        vm.expectRevert(IMedchain.InvalidKey.selector);
        medchain.setCustodianKey(bytes32(0));
    }
}
