// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../src/libraries/IntentTypes.sol";
import {Recovery} from "../src/Recovery.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @notice Lost-wallet recovery: the patient's policy, guardians' approvals, the delay in which
///         the patient's key cancels, execution, and what the new controller (and the old key)
///         may do afterwards.
contract RecoveryTest is Fixture {
    uint256 internal constant GUARDIAN2_KEY = 0x6A4E;
    uint256 internal constant GUARDIAN3_KEY = 0x6A4F;
    uint256 internal constant NEW_KEY = 0xB1;

    Recovery internal recovery;
    address internal guardian2;
    address internal guardian3;
    address internal newAddress;

    function setUp() public override {
        super.setUp();
        recovery = Recovery(medchain.recovery());
        guardian2 = vm.addr(GUARDIAN2_KEY);
        guardian3 = vm.addr(GUARDIAN3_KEY);
        newAddress = vm.addr(NEW_KEY);
        vm.startPrank(patient);
        medchain.addGuardian(patient, guardian2);
        medchain.addGuardian(patient, guardian3);
        recovery.setPolicy(patient, 2, 0);
        vm.stopPrank();
    }

    function approveBy(address g, address controller) internal {
        vm.prank(g);
        recovery.approve(patient, controller);
    }

    /// @dev Two guardians approve `newAddress`, the delay passes, a stranger executes.
    function recoverToNewAddress() internal {
        approveBy(guardian, newAddress);
        approveBy(guardian2, newAddress);
        vm.warp(block.timestamp + 48 hours);
        vm.prank(stranger);
        recovery.execute(patient, newAddress);
    }

    function test_MedchainCreatesItsRecoveryContract() public view {
        assertEq(address(recovery.medchain()), address(medchain), "recovery's host");
        assertTrue(address(recovery) != address(0), "created");
    }

    function test_PolicyDefaultsToFortyEightHours() public view {
        (uint8 threshold, uint32 delay, uint64 round) = recovery.policies(patient);
        assertEq(threshold, 2, "threshold");
        assertEq(delay, 48 hours, "default delay");
        assertEq(round, 1, "first round");
    }

    function test_OnlyThePatientSetsItsPolicy() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPatient.selector, guardian, patient));
        recovery.setPolicy(patient, 1, 0);
    }

    function test_PolicyDelayMustBeWithinBounds() public {
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryInvalidPolicy.selector, 2, 1 hours));
        recovery.setPolicy(patient, 2, 1 hours);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryInvalidPolicy.selector, 2, 31 days));
        recovery.setPolicy(patient, 2, 31 days);
        recovery.setPolicy(patient, 2, 24 hours);
        vm.stopPrank();
        (, uint32 delay,) = recovery.policies(patient);
        assertEq(delay, 24 hours, "minimum delay accepted");
    }

    function test_NoRecoveryWithoutAPolicy() public {
        vm.prank(patient2);
        medchain.addGuardian(patient2, guardian);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNoPolicy.selector, patient2));
        recovery.approve(patient2, newAddress);
    }

    function test_OnlyGuardiansApprove() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotGuardian.selector, stranger, patient));
        recovery.approve(patient, stranger);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotGuardian.selector, patient, patient));
        recovery.approve(patient, newAddress);
    }

    function test_ZeroControllerRefused() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryInvalidController.selector, address(0)));
        recovery.approve(patient, address(0));
    }

    function test_AGuardianApprovesOnce() public {
        approveBy(guardian, newAddress);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryAlreadyApproved.selector, guardian, newAddress));
        recovery.approve(patient, newAddress);
    }

    function test_ThresholdStartsTheDelay() public {
        vm.expectEmit(true, true, true, true);
        emit Recovery.RecoveryProposed(patient, newAddress, guardian);
        approveBy(guardian, newAddress);
        (uint8 approvals, uint8 threshold, uint64 readyAt) = recovery.status(patient, newAddress);
        assertEq(approvals, 1, "one approval");
        assertEq(threshold, 2, "threshold");
        assertEq(readyAt, 0, "not ready below the threshold");
        vm.expectEmit(true, true, false, true);
        emit Recovery.RecoveryReady(patient, newAddress, uint64(block.timestamp + 48 hours));
        approveBy(guardian2, newAddress);
        (approvals,, readyAt) = recovery.status(patient, newAddress);
        assertEq(approvals, 2, "two approvals");
        assertEq(readyAt, block.timestamp + 48 hours, "ready after the delay");
    }

    function test_ExecuteRefusedBelowThresholdAndBeforeTheDelay() public {
        approveBy(guardian, newAddress);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotReady.selector, patient, newAddress, uint64(0)));
        recovery.execute(patient, newAddress);
        approveBy(guardian2, newAddress);
        uint64 readyAt = uint64(block.timestamp + 48 hours);
        vm.warp(readyAt - 1);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotReady.selector, patient, newAddress, readyAt));
        recovery.execute(patient, newAddress);
        assertEq(medchain.controllerOf(patient), address(0), "no controller yet");
    }

    function test_ExecuteRefusedForAnUnproposedController() public {
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPending.selector, patient, stranger));
        recovery.execute(patient, stranger);
    }

    function test_ExecutedRecoveryMakesTheNewAddressThePatientsController() public {
        approveBy(guardian, newAddress);
        approveBy(guardian2, newAddress);
        vm.warp(block.timestamp + 48 hours);
        vm.expectEmit(true, true, false, true, address(medchain));
        emit IMedchain.ControllerSet(patient, newAddress);
        vm.expectEmit(true, true, false, true, address(recovery));
        emit Recovery.RecoveryExecuted(patient, newAddress, stranger);
        vm.prank(stranger);
        recovery.execute(patient, newAddress);
        assertEq(medchain.controllerOf(patient), newAddress, "controller");
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPending.selector, patient, newAddress));
        recovery.execute(patient, newAddress);
    }

    function test_PatientKeyCancelsWithinTheDelay() public {
        approveBy(guardian, newAddress);
        approveBy(guardian2, newAddress);
        vm.warp(block.timestamp + 47 hours);
        vm.expectEmit(true, false, false, true);
        emit Recovery.RecoveryCancelled(patient, patient);
        vm.prank(patient);
        recovery.cancel(patient);
        vm.warp(block.timestamp + 2 hours);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPending.selector, patient, newAddress));
        recovery.execute(patient, newAddress);
        assertEq(medchain.controllerOf(patient), address(0), "cancelled recovery did not happen");
        (uint8 approvals,, uint64 readyAt) = recovery.status(patient, newAddress);
        assertEq(approvals, 0, "approvals void");
        assertEq(readyAt, 0, "not ready");
        // The guardians approve again in the new round: their old approvals do not count.
        approveBy(guardian, newAddress);
        (approvals,,) = recovery.status(patient, newAddress);
        assertEq(approvals, 1, "a fresh round");
    }

    function test_OnlyThePatientKeyCancels() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPatient.selector, guardian, patient));
        recovery.cancel(patient);
    }

    function test_ARogueCandidateDoesNotBlockAnHonestOne() public {
        approveBy(guardian3, guardian3);
        recoverToNewAddress();
        assertEq(medchain.controllerOf(patient), newAddress, "the honest candidate won");
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPending.selector, patient, guardian3));
        recovery.execute(patient, guardian3);
    }

    function test_ControllerActsAsThePatientAndTheOldKeyCannot() public {
        recoverToNewAddress();
        // The new controller rotates the patient's encryption key and manages guardians and grants.
        vm.startPrank(newAddress);
        medchain.rotatePatientKey(patient, bytes32(uint256(0xbeef)));
        medchain.addGuardian(patient, stranger);
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(block.timestamp + 1 days));
        medchain.addRecord(patient, keccak256("r-new"), keccak256("d"), NODE, keccak256("c"));
        vm.stopPrank();
        assertEq(medchain.patientKeys(patient), bytes32(uint256(0xbeef)), "rotated by the controller");
        assertTrue(medchain.isGuardian(patient, stranger), "guardian added by the controller");
        assertTrue(medchain.canRead(patient, doctor, 1), "grant by the controller");
        // The old key has no power left.
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, patient, patient));
        medchain.rotatePatientKey(patient, KEY);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, patient, patient));
        medchain.addGuardian(patient, doctor2);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, patient, patient));
        medchain.revokeAccess(patient, doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, patient, patient));
        medchain.addRecord(patient, keccak256("r-old"), keccak256("d"), NODE, keccak256("c"));
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPatient.selector, patient, patient));
        recovery.cancel(patient);
        vm.stopPrank();
    }

    function test_OldKeySignedIntentsAreRefusedAfterRecovery() public {
        recoverToNewAddress();
        T.RotatePatientKey memory m = T.RotatePatientKey(patient, KEY, nonceOf(PATIENT_KEY), block.timestamp + 1 hours);
        bytes memory signature = sign(PATIENT_KEY, keccak256(abi.encode(T.ROTATE_PATIENT_KEY, m)));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatient.selector, patient, patient));
        medchain.rotatePatientKeyBySig(m, signature);
        m = T.RotatePatientKey(patient, bytes32(uint256(0xcafe)), nonceOf(NEW_KEY), block.timestamp + 1 hours);
        medchain.rotatePatientKeyBySig(m, sign(NEW_KEY, keccak256(abi.encode(T.ROTATE_PATIENT_KEY, m))));
        assertEq(medchain.patientKeys(patient), bytes32(uint256(0xcafe)), "controller's signed rotation");
    }

    function test_ControllerUpdatesARecordThePatientAuthored() public {
        bytes32 recordId = keccak256("r1");
        vm.prank(patient);
        medchain.addRecord(patient, recordId, keccak256("d1"), NODE, keccak256("c1"));
        recoverToNewAddress();
        IMedchain.RecordVersion memory v1 = firstVersion(patient, patient, keccak256("d1"), keccak256("c1"));
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotAllowedToWrite.selector, patient, patient));
        medchain.updateRecord(recordId, v1, keccak256("d2"), NODE, keccak256("c2"));
        vm.prank(newAddress);
        medchain.updateRecord(recordId, v1, keccak256("d2"), NODE, keccak256("c2"));
    }

    function test_ControllerSetsPolicyAndCancels() public {
        recoverToNewAddress();
        vm.startPrank(newAddress);
        recovery.setPolicy(patient, 1, 0);
        vm.stopPrank();
        approveBy(guardian, stranger);
        vm.prank(newAddress);
        recovery.cancel(patient);
        vm.warp(block.timestamp + 48 hours);
        vm.expectRevert(abi.encodeWithSelector(Recovery.RecoveryNotPending.selector, patient, stranger));
        recovery.execute(patient, stranger);
    }

    function test_OnlyTheRecoveryContractSetsAController() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotRecovery.selector, patient));
        medchain.setController(patient, stranger);
    }
}
