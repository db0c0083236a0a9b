// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IMedchain} from "../../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../../src/libraries/IntentTypes.sol";
import {Fixture} from "../utils/Fixture.sol";

/// @notice Gas of each call as a whole transaction would pay it: execution (measured) plus the
///         intrinsic 21,000 and the calldata (EIP-2028: 4 per zero byte, 16 per other byte).
///         Every storage slot the call touches is cold, as in a real transaction. docs/gas.md
///         lists these numbers; the budgets are the issue's targets.
contract GasTest is Fixture {
    event GasUsed(string name, uint256 transactionGas);

    function _transactionGas(string memory name, bytes memory data) internal returns (uint256 total) {
        return _transactionGasAs(address(this), name, data);
    }

    function _transactionGasAs(address sender, string memory name, bytes memory data) internal returns (uint256 total) {
        medchain.admin(); // warms the contract's account, as being the transaction's target does
        vm.prank(sender); // applies to the measured call: gasleft() is not a call
        uint256 before = gasleft();
        (bool ok, bytes memory reason) = address(medchain).call(data);
        uint256 execution = before - gasleft();
        if (!ok) {
            assembly {
                revert(add(reason, 32), mload(reason))
            }
        }
        uint256 calldataGas = 0;
        for (uint256 i = 0; i < data.length; ++i) calldataGas += data[i] == 0 ? 4 : 16;
        // The CALL from this contract adds ~100 gas (warm) that a transaction does not pay;
        // it is left in, so the figures err high.
        total = 21_000 + calldataGas + execution;
        emit GasUsed(name, total);
    }

    function test_GrantWithin55k() public {
        uint256 gas = _transactionGasAs(patient, "grantAccess",
            abi.encodeCall(medchain.grantAccess, (patient, doctor, LAB, READ, uint64(START + 30 days))));
        assertLe(gas, 55_000, "grantAccess");
    }

    function test_RevokeWithin35k() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 30 days));
        uint256 gas = _transactionGasAs(patient, "revokeAccess", abi.encodeCall(medchain.revokeAccess, (patient, doctor)));
        assertLe(gas, 35_000, "revokeAccess");
    }

    function test_AddRecordWithin65k() public {
        uint256 gas = _transactionGasAs(patient, "addRecord",
            abi.encodeCall(medchain.addRecord, (patient, keccak256("r"), keccak256("d"), NODE, keccak256("c"))));
        assertLe(gas, 65_000, "addRecord");
    }

    function test_RequestAccessWithin70k() public {
        // The deployment's very first request also creates the request counter (a one-time
        // 17,100 more); measured is every request after it.
        vm.prank(doctor2);
        medchain.requestAccess(patient2, LAB, READ, 1 days, bytes32(0));
        uint256 gas = _transactionGasAs(doctor, "requestAccess",
            abi.encodeCall(medchain.requestAccess, (patient, LAB, READ, 30 days, keccak256("reason"))));
        assertLe(gas, 70_000, "requestAccess");
    }

    function test_SignedGrantWithin12kOfDirect() public {
        uint256 direct = _transactionGasAs(patient, "grantAccess",
            abi.encodeCall(medchain.grantAccess, (patient, doctor, LAB, READ, uint64(START + 30 days))));
        vm.prank(patient);
        medchain.revokeAccess(patient, doctor);
        // The first signed action of an account also creates its nonce slot; measure a later one,
        // as for every action after an account's first.
        (T.GrantAccess memory warmup, bytes memory warmupSig) = signedGrant(PATIENT_KEY, doctor2, LAB, READ, uint64(START + 1 days));
        medchain.grantAccessBySig(warmup, warmupSig);
        (T.GrantAccess memory m, bytes memory signature) = signedGrant(PATIENT_KEY, stranger, LAB, READ, uint64(START + 30 days));
        uint256 signed = _transactionGas("grantAccessBySig", abi.encodeCall(medchain.grantAccessBySig, (m, signature)));
        assertLe(signed, direct + 12_000, "grantAccessBySig");
    }

    function test_SignedRevokeWithin12kOfDirect() public {
        vm.prank(patient);
        medchain.grantAccess(patient, doctor, LAB, READ, uint64(START + 30 days));
        vm.prank(patient);
        medchain.grantAccess(patient, doctor2, LAB, READ, uint64(START + 30 days));
        uint256 direct = _transactionGasAs(patient, "revokeAccess", abi.encodeCall(medchain.revokeAccess, (patient, doctor)));
        T.RevokeAccess memory warm = T.RevokeAccess(patient, stranger, 0, START + 1 hours);
        medchain.revokeAccessBySig(warm, sign(PATIENT_KEY, keccak256(abi.encode(T.REVOKE_ACCESS, warm))));
        T.RevokeAccess memory m = T.RevokeAccess(patient, doctor2, 1, START + 1 hours);
        uint256 signed = _transactionGas("revokeAccessBySig",
            abi.encodeCall(medchain.revokeAccessBySig, (m, sign(PATIENT_KEY, keccak256(abi.encode(T.REVOKE_ACCESS, m))))));
        assertLe(signed, direct + 12_000, "revokeAccessBySig");
    }

    function test_SignedAddRecordWithin12kOfDirect() public {
        uint256 direct = _transactionGasAs(patient, "addRecord",
            abi.encodeCall(medchain.addRecord, (patient, keccak256("r1"), keccak256("d"), NODE, keccak256("c"))));
        T.AddRecord memory warm = T.AddRecord(patient, keccak256("r2"), keccak256("d"), NODE, keccak256("c"), 0, START + 1 hours);
        medchain.addRecordBySig(warm, sign(PATIENT_KEY, keccak256(abi.encode(T.ADD_RECORD, warm))));
        T.AddRecord memory m = T.AddRecord(patient, keccak256("r3"), keccak256("d"), NODE, keccak256("c"), 1, START + 1 hours);
        uint256 signed = _transactionGas("addRecordBySig",
            abi.encodeCall(medchain.addRecordBySig, (m, sign(PATIENT_KEY, keccak256(abi.encode(T.ADD_RECORD, m))))));
        assertLe(signed, direct + 12_000, "addRecordBySig");
    }

    function test_SignedRequestWithin12kOfDirect() public {
        vm.prank(doctor2);
        medchain.requestAccess(patient2, LAB, READ, 1 days, bytes32(0));
        uint256 direct = _transactionGasAs(doctor, "requestAccess",
            abi.encodeCall(medchain.requestAccess, (patient, LAB, READ, 30 days, keccak256("reason"))));
        T.RequestAccess memory warm = T.RequestAccess(patient2, LAB, READ, 1 days, bytes32(0), 0, START + 1 hours);
        medchain.requestAccessBySig(warm, sign(DOCTOR_KEY, keccak256(abi.encode(T.REQUEST_ACCESS, warm))));
        T.RequestAccess memory m = T.RequestAccess(patient, IMAGING, READ, 30 days, keccak256("reason"), 1, START + 1 hours);
        uint256 signed = _transactionGas("requestAccessBySig",
            abi.encodeCall(medchain.requestAccessBySig, (m, sign(DOCTOR_KEY, keccak256(abi.encode(T.REQUEST_ACCESS, m))))));
        assertLe(signed, direct + 12_000, "requestAccessBySig");
    }

    /// relayBatch, the general batch (any signed intent, each entry a self-call), measures about
    /// 41,000 per grant; the issue's 35,000 is met by relayGrantBatch below. This budget guards
    /// the general path against regressions.
    function test_BatchOf20SignedGrantsRegressionBudget() public {
        // One patient grants 20 doctors: the pattern of a clinic onboarding a care team.
        bytes[] memory calls = new bytes[](20);
        uint256 nonce = nonceOf(PATIENT_KEY);
        for (uint256 i = 0; i < 20; ++i) {
            T.GrantAccess memory m = T.GrantAccess(
                patient, address(uint160(0x1000 + i)), LAB, READ, uint64(START + 30 days), nonce + i, START + 1 hours
            );
            calls[i] = abi.encodeCall(medchain.grantAccessBySig, (m, sign(PATIENT_KEY, keccak256(abi.encode(T.GRANT_ACCESS, m)))));
        }
        uint256 total = _transactionGas("relayBatch(20 x grantAccessBySig)", abi.encodeCall(medchain.relayBatch, (calls)));
        (uint16 scope,,) = medchain.grants(patient, address(uint160(0x1000 + 19)));
        assertEq(scope, LAB, "the batch took effect");
        assertLe(total / 20, 41_500, "per grant in a batch of 20");
    }

    /// The issue's batch target, 35,000 per grant as whole-transaction gas, by the typed batch:
    /// the same 20 grants by one patient, each its own signed GrantAccess, in the packed encoding.
    function test_BatchOf20SignedGrantsWithin35kPerGrant() public {
        bytes memory entries;
        uint256 nonce = nonceOf(PATIENT_KEY);
        for (uint256 i = 0; i < 20; ++i) {
            T.GrantAccess memory m = T.GrantAccess(
                patient, address(uint160(0x1000 + i)), LAB, READ, uint64(START + 30 days), nonce + i, START + 1 hours
            );
            bytes memory entry = grantEntry(PATIENT_KEY, m);
            entries = bytes.concat(entries, i == 0 ? entry : samePatient(entry));
        }
        uint256 total = _transactionGas("relayGrantBatch(20 grants)", abi.encodeCall(medchain.relayGrantBatch, (entries)));
        (uint16 scope,,) = medchain.grants(patient, address(uint160(0x1000 + 19)));
        assertEq(scope, LAB, "the batch took effect");
        assertEq(medchain.nonces(patient), nonce + 20, "every entry used its nonce");
        assertLe(total / 20, 35_000, "per grant in a batch of 20");
    }
}
