// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Medchain} from "../../src/Medchain.sol";
import {IMedchain} from "../../src/interfaces/IMedchain.sol";
import {IntentTypes as T} from "../../src/libraries/IntentTypes.sol";
import {GrantEntries} from "./GrantEntries.sol";
import {Test} from "./Test.sol";

/// @notice A deployed Medchain with a registrar, two verified doctors, two registered patients,
///         a guardian and a storage node, and helpers to sign intents with their keys.
abstract contract Fixture is Test {
    Medchain internal medchain;

    uint256 internal constant PATIENT_KEY = 0xA11CE;
    uint256 internal constant PATIENT2_KEY = 0xB0B;
    uint256 internal constant DOCTOR_KEY = 0xD0C;
    uint256 internal constant DOCTOR2_KEY = 0xD0C2;
    uint256 internal constant GUARDIAN_KEY = 0x6A4D;
    uint256 internal constant STRANGER_KEY = 0xBAD;

    address internal admin = address(this);
    address internal registrar = address(0x8E6);
    address internal nodeOperator = address(0x90DE);
    address internal patient;
    address internal patient2;
    address internal doctor;
    address internal doctor2;
    address internal guardian;
    address internal stranger;

    bytes32 internal constant NODE = keccak256("node-1");
    bytes32 internal constant KEY = bytes32(uint256(0x1234));
    uint16 internal constant LAB = 1 << 1;
    uint16 internal constant IMAGING = 1 << 2;
    uint8 internal constant READ = 1;
    uint8 internal constant APPEND = 2;
    uint256 internal constant START = 1_800_000_000;

    function setUp() public virtual {
        vm.warp(START);
        patient = vm.addr(PATIENT_KEY);
        patient2 = vm.addr(PATIENT2_KEY);
        doctor = vm.addr(DOCTOR_KEY);
        doctor2 = vm.addr(DOCTOR2_KEY);
        guardian = vm.addr(GUARDIAN_KEY);
        stranger = vm.addr(STRANGER_KEY);
        medchain = new Medchain();
        medchain.setRegistrar(registrar, true);
        vm.startPrank(registrar);
        medchain.verifyDoctor(doctor, keccak256("license-1"), bytes32(uint256(0xd1)));
        medchain.verifyDoctor(doctor2, keccak256("license-2"), bytes32(uint256(0xd2)));
        medchain.registerStorageNode(NODE, nodeOperator, "http://127.0.0.1:8080");
        vm.stopPrank();
        vm.prank(patient);
        medchain.registerPatient(KEY);
        vm.prank(patient2);
        medchain.registerPatient(KEY);
        vm.prank(patient);
        medchain.addGuardian(patient, guardian);
    }

    function sign(uint256 key, bytes32 structHash) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, medchain.intentDigest(structHash));
        return abi.encodePacked(r, s, v);
    }

    /// @dev `m` as one entry of relayGrantBatch (the wire layout in GrantBatch.sol), signed with `key`.
    function grantEntry(uint256 key, T.GrantAccess memory m) internal view returns (bytes memory) {
        return grantEntrySignedOver(key, m, medchain.intentDigest(keccak256(abi.encode(T.GRANT_ACCESS, m))));
    }

    /// @dev `m` as one entry of relayGrantBatch carrying a signature over `digest`, whatever it is.
    function grantEntrySignedOver(uint256 key, T.GrantAccess memory m, bytes32 digest)
        internal
        pure
        returns (bytes memory)
    {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return GrantEntries.pack(m, r, GrantEntries.compact(v, s));
    }

    /// @dev The wire bytes of one relayGrantBatch entry: the fields packed, then (r, vs) (EIP-2098).
    function packGrant(T.GrantAccess memory m, bytes32 r, bytes32 vs) internal pure returns (bytes memory) {
        return GrantEntries.pack(m, r, vs);
    }

    /// @dev A copy of `entry` with its patient zeroed: "the previous entry's patient" on the wire.
    function samePatient(bytes memory entry) internal pure returns (bytes memory) {
        return GrantEntries.withoutPatient(entry);
    }

    function nonceOf(uint256 key) internal view returns (uint256) {
        return medchain.nonces(vm.addr(key));
    }

    function signedGrant(uint256 key, address doctor_, uint16 scope, uint8 permissions, uint64 expiry)
        internal
        view
        returns (T.GrantAccess memory m, bytes memory signature)
    {
        m = T.GrantAccess(patient, doctor_, scope, permissions, expiry, nonceOf(key), block.timestamp + 1 hours);
        signature = sign(key, keccak256(abi.encode(T.GRANT_ACCESS, m)));
    }

    function firstVersion(address patient_, address author, bytes32 digest, bytes32 contentId)
        internal
        pure
        returns (IMedchain.RecordVersion memory)
    {
        return IMedchain.RecordVersion(patient_, author, 1, digest, NODE, contentId, bytes32(0));
    }
}
