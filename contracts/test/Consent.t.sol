// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../src/interfaces/IMedchain.sol";
import {Fixture} from "./utils/Fixture.sol";

contract ConsentTest is Fixture {
    function request(uint16 scope, uint8 permissions, uint32 duration) internal returns (uint256 id) {
        vm.prank(doctor);
        id = medchain.requestAccess(patient, scope, permissions, duration, keccak256("salted reason"));
    }

    function test_RequestApproveGrantsTheApprovedPartOnly() public {
        uint256 id = request(LAB | IMAGING, READ, 30 days);
        assertEq(medchain.requester(id), doctor, "requester in the id");
        vm.prank(patient);
        medchain.approveRequest(id, LAB, READ, 7 days);
        assertTrue(medchain.canRead(patient, doctor, 1), "lab readable");
        assertFalse(medchain.canRead(patient, doctor, 2), "imaging not approved");
        assertFalse(medchain.canAppend(patient, doctor), "no append");
        (uint16 scope, uint8 permissions, uint64 expiry) = medchain.grants(patient, doctor);
        assertEq(scope, LAB, "scope");
        assertEq(permissions, READ, "permissions");
        assertEq(expiry, START + 7 days, "expiry");
        vm.warp(START + 7 days);
        assertFalse(medchain.canRead(patient, doctor, 1), "expired");
    }

    function test_ApprovalWidensAnExistingGrant() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 30 days));
        uint256 id = request(IMAGING, READ | APPEND, 1 days);
        vm.prank(guardian);
        medchain.approveRequest(id, IMAGING, READ | APPEND, 1 days);
        (uint16 scope, uint8 permissions, uint64 expiry) = medchain.grants(patient, doctor);
        assertEq(scope, LAB | IMAGING, "widened scope");
        assertEq(permissions, READ | APPEND, "widened permissions");
        assertEq(expiry, START + 30 days, "kept the later expiry");
    }

    function test_ApprovalCannotExceedTheRequest() public {
        uint256 id = request(LAB, READ, 1 days);
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.ApprovalExceedsRequest.selector, id));
        medchain.approveRequest(id, LAB | IMAGING, READ, 1 days);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.ApprovalExceedsRequest.selector, id));
        medchain.approveRequest(id, LAB, READ, 2 days);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidScope.selector, LAB, uint8(0)));
        medchain.approveRequest(id, LAB, 0, 1 days);
        vm.stopPrank();
    }

    function test_OnlyPatientOrGuardianDecidesRequests() public {
        uint256 id = request(LAB, READ, 1 days);
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, doctor2, patient));
        medchain.approveRequest(id, LAB, READ, 1 days);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, doctor, patient));
        medchain.denyRequest(id);
        vm.prank(patient);
        medchain.denyRequest(id);
        (,,,, uint8 status) = medchain.requests(id);
        assertEq(status, 3, "denied");
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.RequestNotPending.selector, id));
        medchain.approveRequest(id, LAB, READ, 1 days);
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.RequestNotPending.selector, id));
        medchain.denyRequest(id);
    }

    function test_OnlyTheRequesterCancels() public {
        uint256 id = request(LAB, READ, 1 days);
        vm.prank(doctor2);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotRequester.selector, doctor2, id));
        medchain.cancelRequest(id);
        vm.prank(doctor);
        medchain.cancelRequest(id);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.RequestNotPending.selector, id));
        medchain.cancelRequest(id);
    }

    function test_RequestsNeedAVerifiedDoctorARegisteredPatientAndValidTerms() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotVerifiedDoctor.selector, stranger));
        medchain.requestAccess(patient, LAB, READ, 1 days, bytes32(0));
        vm.startPrank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.requestAccess(stranger, LAB, READ, 1 days, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidScope.selector, uint16(0x1000), READ));
        medchain.requestAccess(patient, 0x1000, READ, 1 days, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidScope.selector, uint16(0), READ));
        medchain.requestAccess(patient, 0, READ, 1 days, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidDuration.selector, uint32(0)));
        medchain.requestAccess(patient, LAB, READ, 0, bytes32(0));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidDuration.selector, uint32(366 days)));
        medchain.requestAccess(patient, LAB, READ, 366 days, bytes32(0));
        vm.stopPrank();
    }

    function test_GrantingAgainNarrowsAndRevokeRemovesEverything() public {
        vm.startPrank(patient);
        medchain.grantAccess(patient, doctor, LAB | IMAGING, READ | APPEND, uint64(START + 1 days));
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 2 days));
        assertFalse(medchain.canRead(patient, doctor, 2), "narrowed");
        assertFalse(medchain.canAppend(patient, doctor), "append narrowed away");
        medchain.setEmergencyPolicy(patient, true, 1 hours, 0);
        vm.stopPrank();
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 3);
        vm.prank(guardian);
        medchain.revokeAccess(patient, doctor);
        for (uint8 category = 0; category < 12; ++category) {
            assertFalse(medchain.canRead(patient, doctor, category), "nothing readable after revoke");
        }
        assertFalse(medchain.canAppend(patient, doctor), "nothing appendable after revoke");
    }

    function test_GrantValidation() public {
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidExpiry.selector, uint64(START)));
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidScope.selector, LAB, APPEND));
        medchain.grantAccess(patient, doctor, LAB, APPEND, uint64(START + 1));
        vm.expectRevert(abi.encodeWithSelector(IMedchain.DoctorNotFound.selector, patient));
        medchain.grantAccess(patient, patient, LAB, READ, uint64(START + 1));
        vm.stopPrank();
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, doctor, patient));
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 1));
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, doctor, patient));
        medchain.revokeAccess(patient, doctor);
    }

    function test_SuspensionStopsEveryPermission() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, LAB, READ | APPEND, uint64(START + 1 days));
        vm.prank(registrar);
        medchain.suspendDoctor(doctor);
        assertFalse(medchain.canRead(patient, doctor, 1), "suspended cannot read");
        assertFalse(medchain.canAppend(patient, doctor), "suspended cannot append");
        vm.prank(registrar);
        medchain.reinstateDoctor(doctor);
        assertTrue(medchain.canRead(patient, doctor, 1), "reinstated reads again");
        assertFalse(medchain.canRead(patient, doctor, 12), "no category 12");
    }

    function test_EmergencyWindowFollowsThePolicy() public {
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.EmergencyNotAllowed.selector, patient));
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidDuration.selector, uint32(5 hours)));
        medchain.openEmergencyAccess(patient, 5 hours, 1);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotVerifiedDoctor.selector, stranger));
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.PatientNotRegistered.selector, stranger));
        medchain.openEmergencyAccess(stranger, 1 hours, 1);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 4 hours, 1);
        for (uint8 category = 0; category < 12; ++category) {
            assertTrue(medchain.canRead(patient, doctor, category), "emergency reads everything");
        }
        assertFalse(medchain.canAppend(patient, doctor), "emergency does not append");
        vm.warp(START + 4 hours);
        assertFalse(medchain.canRead(patient, doctor, 0), "window over");
    }

    function test_EmergencyWindowEndsEarly() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 4 hours, 1);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NotPatientOrGuardian.selector, stranger, patient));
        medchain.endEmergencyAccess(patient, doctor);
        vm.prank(guardian);
        medchain.endEmergencyAccess(patient, doctor);
        assertFalse(medchain.canRead(patient, doctor, 0), "ended by guardian");
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 2);
        vm.prank(doctor);
        medchain.endEmergencyAccess(patient, doctor);
        assertFalse(medchain.canRead(patient, doctor, 0), "ended by the doctor");
    }

    function test_RevokeEndsAnOpenEmergencyWindow() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 4 hours, 1);
        assertTrue(medchain.canRead(patient, doctor, 8), "window open, no grant needed");
        vm.warp(START + 1 hours);
        vm.prank(patient);
        medchain.revokeAccess(patient, doctor); // the doctor holds no grant: only the window is left
        for (uint8 category = 0; category < 12; ++category) {
            assertFalse(medchain.canRead(patient, doctor, category), "revoke ended the window");
        }
        (uint64 until,) = medchain.emergencyWindows(patient, doctor);
        assertEq(until, START + 1 hours, "the window ended at the revoke");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NoEmergencyWindow.selector, patient, doctor));
        medchain.endEmergencyAccess(patient, doctor);
    }

    function test_TurningThePolicyOffEndsEveryOpenWindowAtOnce() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 4 hours, 1);
        vm.prank(doctor2);
        medchain.openEmergencyAccess(patient, 2 hours, 2);
        vm.prank(patient2);
        medchain.setEmergencyPolicy(patient2, true, 4 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient2, 4 hours, 1);

        vm.expectEmit(true, false, false, true);
        emit IMedchain.EmergencyPolicySet(patient, false, 0, 0);
        vm.prank(guardian);
        medchain.setEmergencyPolicy(patient, false, 0, 0);
        assertFalse(medchain.canRead(patient, doctor, 0), "the first doctor's window ended");
        assertFalse(medchain.canRead(patient, doctor2, 0), "the second doctor's window ended");
        assertTrue(medchain.canRead(patient2, doctor, 0), "another patient's window stays open");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NoEmergencyWindow.selector, patient, doctor));
        medchain.endEmergencyAccess(patient, doctor);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.EmergencyNotAllowed.selector, patient));
        medchain.openEmergencyAccess(patient, 1 hours, 1);

        // Allowing emergencies again does not bring the ended windows back; a doctor opens anew.
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        assertFalse(medchain.canRead(patient, doctor, 0), "an ended window stays ended");
        assertFalse(medchain.canRead(patient, doctor2, 0), "an ended window stays ended");
        vm.prank(doctor2);
        medchain.openEmergencyAccess(patient, 1 hours, 3);
        assertTrue(medchain.canRead(patient, doctor2, 0), "a new window opens");
    }

    function test_ADoctorWhoseWindowEndedWaitsTheCooldown() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 1 hours);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 4 hours, 1);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 2 hours, 1); // still open: reopening sets its end anew
        vm.warp(START + 30 minutes);
        vm.prank(patient);
        medchain.endEmergencyAccess(patient, doctor);

        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.EmergencyCooldown.selector, patient, doctor, START + 90 minutes));
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.warp(START + 90 minutes - 1);
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.EmergencyCooldown.selector, patient, doctor, START + 90 minutes));
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.prank(doctor2);
        medchain.openEmergencyAccess(patient, 1 hours, 1); // the cooldown is per doctor
        vm.warp(START + 90 minutes);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        assertTrue(medchain.canRead(patient, doctor, 0), "reopened after the cooldown");
    }

    function test_TheCooldownFollowsEveryWayAWindowEnds() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 1 hours);
        // Ended by its own doctor.
        _doctorOpensAt(START, 1 hours);
        vm.prank(doctor);
        medchain.endEmergencyAccess(patient, doctor);
        _expectCooldownUntil(START + 1 hours);
        // Ended by time: the cooldown runs from the window's end.
        _doctorOpensAt(START + 1 hours, 1 hours);
        vm.warp(START + 2 hours);
        _expectCooldownUntil(START + 3 hours);
        // Ended by revoke.
        _doctorOpensAt(START + 3 hours, 4 hours);
        vm.warp(START + 4 hours);
        vm.prank(guardian);
        medchain.revokeAccess(patient, doctor);
        _expectCooldownUntil(START + 5 hours);
        // Ended by the policy going off: the cooldown runs from then, even if the policy returns.
        _doctorOpensAt(START + 5 hours, 4 hours);
        vm.warp(START + 6 hours);
        vm.startPrank(patient);
        medchain.setEmergencyPolicy(patient, false, 0, 1 hours);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 1 hours);
        vm.stopPrank();
        _expectCooldownUntil(START + 7 hours);
        _doctorOpensAt(START + 7 hours, 1 hours);
    }

    function _doctorOpensAt(uint256 time, uint32 duration) internal {
        vm.warp(time);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, duration, 1);
        assertTrue(medchain.canRead(patient, doctor, 0), "the window opened");
    }

    function test_ACooldownOfZeroLetsADoctorReopenAtOnce() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 4 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.prank(patient);
        medchain.endEmergencyAccess(patient, doctor);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        assertTrue(medchain.canRead(patient, doctor, 0), "reopened at once");
    }

    function _expectCooldownUntil(uint256 reopensAt) internal {
        assertFalse(medchain.canRead(patient, doctor, 0), "the window is over");
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.EmergencyCooldown.selector, patient, doctor, uint64(reopensAt)));
        medchain.openEmergencyAccess(patient, 1 hours, 1);
    }

    function test_EndingAWindowThatIsNotOpenReverts() public {
        vm.prank(patient);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NoEmergencyWindow.selector, patient, doctor));
        medchain.endEmergencyAccess(patient, doctor);
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 1 hours, 0);
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, 1);
        vm.warp(START + 1 hours); // expired: nothing left to end
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.NoEmergencyWindow.selector, patient, doctor));
        medchain.endEmergencyAccess(patient, doctor);
    }

    function test_ReasonCodesAreFromTheList() public {
        vm.prank(patient);
        medchain.setEmergencyPolicy(patient, true, 1 hours, 0);
        for (uint16 code = 0; code < 8; code += 6) {
            vm.prank(doctor);
            vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidReasonCode.selector, code));
            medchain.openEmergencyAccess(patient, 1 hours, code);
        }
        vm.prank(doctor);
        vm.expectRevert(abi.encodeWithSelector(IMedchain.InvalidReasonCode.selector, type(uint16).max));
        medchain.openEmergencyAccess(patient, 1 hours, type(uint16).max);
        assertFalse(medchain.canRead(patient, doctor, 0), "no window opened");
        uint16 lastCode = medchain.MAX_REASON_CODE();
        vm.prank(doctor);
        medchain.openEmergencyAccess(patient, 1 hours, lastCode);
        assertTrue(medchain.canRead(patient, doctor, 0), "the last code opens");
    }

    function testFuzz_CanReadMatchesTheGrant(uint16 scope, uint8 category, uint32 lifetime, uint32 elapsed) public {
        scope = scope & 0x0FFF;
        vm.assume(scope != 0 && lifetime != 0);
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, scope, READ, uint64(START) + lifetime);
        vm.warp(START + uint256(elapsed));
        bool expected = category < 12 && scope & (uint16(1) << (category % 16)) != 0 && elapsed < lifetime;
        assertTrue(medchain.canRead(patient, doctor, category) == expected, "canRead matches the grant");
    }
}
